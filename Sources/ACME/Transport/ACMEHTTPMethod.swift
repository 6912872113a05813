/// The HTTP methods an ACME client uses (RFC 8555 §6.3): GET for the directory and ARI, HEAD for newNonce, POST
/// for everything signed.
package struct ACMEHTTPMethod: Hashable, Sendable, CustomStringConvertible {
    /// The method token, e.g. `POST`.
    package let rawValue: String

    private init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// `GET`: the directory (§7.1.1) and unauthenticated renewal information (RFC 9773 §4.2).
    package static let get = ACMEHTTPMethod("GET")
    /// `HEAD`: a fresh nonce from newNonce (§7.2).
    package static let head = ACMEHTTPMethod("HEAD")
    /// `POST`: every JWS request, including POST-as-GET (§6.3).
    package static let post = ACMEHTTPMethod("POST")

    /// The method token.
    package var description: String { rawValue }
}
