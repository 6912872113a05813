/// The `status` of an ACME account, order, authorization or challenge (RFC 8555 §7.1.6).
///
/// A struct rather than an enum so an unexpected value from a server decodes and is reported, not rejected.
package struct ACMEStatus: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The status string.
    package let rawValue: String

    /// Wraps a status string.
    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The `pending` status.
    package static let pending = ACMEStatus(rawValue: "pending")
    /// The `ready` status.
    package static let ready = ACMEStatus(rawValue: "ready")
    /// The `processing` status.
    package static let processing = ACMEStatus(rawValue: "processing")
    /// The `valid` status.
    package static let valid = ACMEStatus(rawValue: "valid")
    /// The `invalid` status.
    package static let invalid = ACMEStatus(rawValue: "invalid")
    /// The `expired` status.
    package static let expired = ACMEStatus(rawValue: "expired")
    /// The `deactivated` status.
    package static let deactivated = ACMEStatus(rawValue: "deactivated")
    /// The `revoked` status.
    package static let revoked = ACMEStatus(rawValue: "revoked")

    /// The status string.
    package var description: String { rawValue }

    /// Decodes the status string.
    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the status string.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
