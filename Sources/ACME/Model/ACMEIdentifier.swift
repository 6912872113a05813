/// An ACME identifier (RFC 8555 §7.1.3, §9.7.7): here always `{"type":"dns","value":"mta-sts.example.com"}`.
package struct ACMEIdentifier: Codable, Sendable, Hashable {
    /// The identifier type, `dns`.
    package var type: String
    /// The name, lower-case, without a trailing dot.
    package var value: String

    /// Creates an identifier.
    package init(type: String, value: String) {
        self.type = type
        self.value = value
    }

    /// A `dns` identifier for `name`.
    package static func dns(_ name: String) -> ACMEIdentifier {
        ACMEIdentifier(type: "dns", value: name)
    }
}
