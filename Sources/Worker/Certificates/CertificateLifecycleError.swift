/// A certificate lifecycle step failed in a way that is not the CA's doing.
package struct CertificateLifecycleError: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
