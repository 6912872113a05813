/// The certificate identifier of ACME Renewal Information (RFC 9773 §4.1):
/// `base64url(AKI keyIdentifier) "." base64url(serial DER content bytes)`, both unpadded.
///
/// ```swift
/// ARICertID(keyIdentifier: aki, serialNumber: [0x00, 0x87, 0x65, 0x43, 0x21]).description
/// // "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"
/// ```
package struct ARICertID: Sendable, Hashable, CustomStringConvertible {
    /// keyIdentifier of the certificate's authorityKeyIdentifier extension.
    package let keyIdentifier: [UInt8]
    /// Content bytes of the DER serialNumber INTEGER, including a leading 0x00 when the high bit is set.
    package let serialNumber: [UInt8]

    /// Creates an ID from its two parts.
    package init(keyIdentifier: [UInt8], serialNumber: [UInt8]) {
        self.keyIdentifier = keyIdentifier
        self.serialNumber = serialNumber
    }

    /// Parses `<b64url>.<b64url>`; `nil` when malformed or either part is empty.
    package init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let keyIdentifier = Base64URL.decode(parts[0]), !keyIdentifier.isEmpty,
            let serialNumber = Base64URL.decode(parts[1]), !serialNumber.isEmpty
        else {
            return nil
        }
        self.init(keyIdentifier: keyIdentifier, serialNumber: serialNumber)
    }

    /// The string form used in the renewalInfo URL and in newOrder `replaces`.
    package var description: String {
        Base64URL.encode(keyIdentifier) + "." + Base64URL.encode(serialNumber)
    }
}
