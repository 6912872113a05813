/// The fixed 12-byte message header without its section counts (RFC 1035 §4.1.1).
package struct DNSHeader: Sendable, Hashable {
    /// Matches a response to its query.
    package var id: UInt16
    /// QR: set in responses.
    package var isResponse: Bool
    /// The kind of query.
    package var opcode: DNSOpcode
    /// AA: the answer comes from an authoritative server.
    package var isAuthoritativeAnswer: Bool
    /// TC: the message was truncated to fit the transport.
    package var isTruncated: Bool
    /// RD: the client asks for recursion.
    package var isRecursionDesired: Bool
    /// RA: the server offers recursion.
    package var isRecursionAvailable: Bool
    /// AD: the data was DNSSEC-validated (RFC 4035 §3.2.3).
    package var isAuthenticData: Bool
    /// CD: the client disabled DNSSEC checking (RFC 4035 §3.2.2).
    package var isCheckingDisabled: Bool
    /// The low four bits of the response code.
    package var rcode: DNSResponseCode

    /// Creates a header; defaults describe a recursive query.
    package init(
        id: UInt16,
        isResponse: Bool = false,
        opcode: DNSOpcode = .query,
        isAuthoritativeAnswer: Bool = false,
        isTruncated: Bool = false,
        isRecursionDesired: Bool = true,
        isRecursionAvailable: Bool = false,
        isAuthenticData: Bool = false,
        isCheckingDisabled: Bool = false,
        rcode: DNSResponseCode = .noError
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritativeAnswer = isAuthoritativeAnswer
        self.isTruncated = isTruncated
        self.isRecursionDesired = isRecursionDesired
        self.isRecursionAvailable = isRecursionAvailable
        self.isAuthenticData = isAuthenticData
        self.isCheckingDisabled = isCheckingDisabled
        self.rcode = DNSResponseCode(rawValue: rcode.rawValue & 0x0F)
    }

    /// The 16 flag bits.
    var flags: UInt16 {
        var flags = UInt16(opcode.rawValue) << 11 | (rcode.rawValue & 0x0F)
        if isResponse { flags |= 0x8000 }
        if isAuthoritativeAnswer { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if isRecursionDesired { flags |= 0x0100 }
        if isRecursionAvailable { flags |= 0x0080 }
        if isAuthenticData { flags |= 0x0020 }
        if isCheckingDisabled { flags |= 0x0010 }
        return flags
    }

    /// Creates a header from ID and flag bits; the reserved Z bit is dropped.
    init(id: UInt16, flags: UInt16) {
        self.init(
            id: id,
            isResponse: flags & 0x8000 != 0,
            opcode: DNSOpcode(rawValue: UInt8((flags >> 11) & 0x0F)),
            isAuthoritativeAnswer: flags & 0x0400 != 0,
            isTruncated: flags & 0x0200 != 0,
            isRecursionDesired: flags & 0x0100 != 0,
            isRecursionAvailable: flags & 0x0080 != 0,
            isAuthenticData: flags & 0x0020 != 0,
            isCheckingDisabled: flags & 0x0010 != 0,
            rcode: DNSResponseCode(rawValue: flags & 0x000F)
        )
    }
}
