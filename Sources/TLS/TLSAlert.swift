/// TLS alert descriptions used in this module (RFC 8446 section 6).
package enum TLSAlert {
    /// `protocol_version` (70).
    package static let protocolVersion: UInt8 = 70
    /// `handshake_failure` (40).
    package static let handshakeFailure: UInt8 = 40
    /// `internal_error` (80).
    package static let internalError: UInt8 = 80
    /// `unrecognized_name` (112), sent for an unknown or missing SNI.
    package static let unrecognizedName: UInt8 = 112
}
