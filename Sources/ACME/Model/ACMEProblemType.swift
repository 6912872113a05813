/// The `type` URI of an ACME problem document (RFC 8555 §6.7, RFC 9773 §7.4).
///
/// ```swift
/// if error.problem?.type == .rateLimited { … }
/// ```
package struct ACMEProblemType: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The full URI, e.g. `urn:ietf:params:acme:error:badNonce`.
    package let rawValue: String

    /// The URN namespace of ACME errors.
    package static let namespace = "urn:ietf:params:acme:error:"

    /// Wraps any type URI (servers may use their own, e.g. `about:blank`).
    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    private init(acme name: String) {
        rawValue = Self.namespace + name
    }

    /// The part after `urn:ietf:params:acme:error:`, or `nil` for a non-ACME type.
    package var acmeName: String? {
        rawValue.hasPrefix(Self.namespace) ? String(rawValue.dropFirst(Self.namespace.count)) : nil
    }

    /// The URI.
    package var description: String { rawValue }

    /// Decodes the URI string.
    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the URI string.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // MARK: - RFC 8555 §6.7

    /// `accountDoesNotExist` problem type.
    package static let accountDoesNotExist = ACMEProblemType(acme: "accountDoesNotExist")
    /// `alreadyRevoked` problem type.
    package static let alreadyRevoked = ACMEProblemType(acme: "alreadyRevoked")
    /// `badCSR` problem type.
    package static let badCSR = ACMEProblemType(acme: "badCSR")
    /// `badNonce` problem type.
    package static let badNonce = ACMEProblemType(acme: "badNonce")
    /// `badPublicKey` problem type.
    package static let badPublicKey = ACMEProblemType(acme: "badPublicKey")
    /// `badRevocationReason` problem type.
    package static let badRevocationReason = ACMEProblemType(acme: "badRevocationReason")
    /// `badSignatureAlgorithm` problem type.
    package static let badSignatureAlgorithm = ACMEProblemType(acme: "badSignatureAlgorithm")
    /// `caa` problem type.
    package static let caa = ACMEProblemType(acme: "caa")
    /// `compound` problem type.
    package static let compound = ACMEProblemType(acme: "compound")
    /// `connection` problem type.
    package static let connection = ACMEProblemType(acme: "connection")
    /// `dns` problem type.
    package static let dns = ACMEProblemType(acme: "dns")
    /// `externalAccountRequired` problem type.
    package static let externalAccountRequired = ACMEProblemType(acme: "externalAccountRequired")
    /// `incorrectResponse` problem type.
    package static let incorrectResponse = ACMEProblemType(acme: "incorrectResponse")
    /// `invalidContact` problem type.
    package static let invalidContact = ACMEProblemType(acme: "invalidContact")
    /// `malformed` problem type.
    package static let malformed = ACMEProblemType(acme: "malformed")
    /// `orderNotReady` problem type.
    package static let orderNotReady = ACMEProblemType(acme: "orderNotReady")
    /// `rateLimited` problem type.
    package static let rateLimited = ACMEProblemType(acme: "rateLimited")
    /// `rejectedIdentifier` problem type.
    package static let rejectedIdentifier = ACMEProblemType(acme: "rejectedIdentifier")
    /// `serverInternal` problem type.
    package static let serverInternal = ACMEProblemType(acme: "serverInternal")
    /// `tls` problem type.
    package static let tls = ACMEProblemType(acme: "tls")
    /// `unauthorized` problem type.
    package static let unauthorized = ACMEProblemType(acme: "unauthorized")
    /// `unsupportedContact` problem type.
    package static let unsupportedContact = ACMEProblemType(acme: "unsupportedContact")
    /// `unsupportedIdentifier` problem type.
    package static let unsupportedIdentifier = ACMEProblemType(acme: "unsupportedIdentifier")
    /// `userActionRequired` problem type.
    package static let userActionRequired = ACMEProblemType(acme: "userActionRequired")
    /// RFC 9773 §7.4: the certificate named in `replaces` was already replaced.
    package static let alreadyReplaced = ACMEProblemType(acme: "alreadyReplaced")
}
