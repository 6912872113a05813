import Synchronization

/// The certificates after the leaf in a served chain (the issuer's intermediates), DER, held once per distinct
/// tail: every host certificate issued under the same intermediates points at the same instance, so a million
/// hosts from a handful of ACME intermediates keep a handful of copies instead of a million.
///
/// ```swift
/// let tail = CertificateChainTail.interned([intermediateDER])
/// tail === CertificateChainTail.interned([intermediateDER])  // true
/// ```
package final class CertificateChainTail: Sendable, Equatable {
    /// The intermediates, DER, in the order they are sent.
    package let certificates: [[UInt8]]

    private init(_ certificates: [[UInt8]]) {
        self.certificates = certificates
    }

    /// A leaf sent alone.
    package static let empty = CertificateChainTail([])

    /// Distinct tails kept for sharing; past this many (never seen in practice: an ACME CA rotates a few
    /// intermediates a year), new tails are still returned, just not shared.
    static let maximumInterned = 256

    /// The interned tails, and the one returned last (a bulk load asks for the same tail over and over).
    private static let table = Mutex<(tails: [[[UInt8]]: CertificateChainTail], last: CertificateChainTail?)>(
        ([:], nil)
    )

    /// The shared instance holding `certificates`.
    package static func interned(_ certificates: [[UInt8]]) -> CertificateChainTail {
        guard !certificates.isEmpty else { return empty }
        return table.withLock { table in
            if let last = table.last, last.certificates == certificates { return last }
            let tail: CertificateChainTail
            if let existing = table.tails[certificates] {
                tail = existing
            } else {
                tail = CertificateChainTail(certificates)
                if table.tails.count < maximumInterned { table.tails[certificates] = tail }
            }
            table.last = tail
            return tail
        }
    }

    package static func == (lhs: CertificateChainTail, rhs: CertificateChainTail) -> Bool {
        lhs === rhs || lhs.certificates == rhs.certificates
    }
}
