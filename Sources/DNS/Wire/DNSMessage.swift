/// A DNS message: header, question and the answer, authority and additional sections (RFC 1035 §4.1).
///
/// Decoding and encoding are pure functions of bytes; nothing here touches the network.
///
/// ```swift
/// let query = DNSMessage.query(id: 0x1234, name: try DNSName("example.com"), type: .mx)
/// let bytes = query.encoded()
/// let echoed = try DNSMessage(decoding: bytes)   // == query
/// ```
package struct DNSMessage: Sendable, Hashable {
    /// ID and flags.
    package var header: DNSHeader
    /// The question section (normally exactly one question).
    package var questions: [DNSQuestion]
    /// The answer section.
    package var answers: [DNSResourceRecord]
    /// The authority section.
    package var authorities: [DNSResourceRecord]
    /// The additional section, including any OPT pseudo-record.
    package var additionals: [DNSResourceRecord]

    /// Creates a message.
    package init(
        header: DNSHeader,
        questions: [DNSQuestion] = [],
        answers: [DNSResourceRecord] = [],
        authorities: [DNSResourceRecord] = [],
        additionals: [DNSResourceRecord] = []
    ) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// A recursive query for one name and type, advertising EDNS(0) with `udpPayloadSize` unless it is nil.
    package static func query(
        id: UInt16,
        name: DNSName,
        type: DNSRecordType,
        recursionDesired: Bool = true,
        udpPayloadSize: UInt16? = 4096
    ) -> DNSMessage {
        DNSMessage(
            header: DNSHeader(id: id, isRecursionDesired: recursionDesired),
            questions: [DNSQuestion(name: name, type: type)],
            additionals: udpPayloadSize.map { [DNSResourceRecord.opt(udpPayloadSize: $0)] } ?? []
        )
    }

    /// The message ID.
    package var id: UInt16 {
        get { header.id }
        set { header.id = newValue }
    }

    /// The first question, if any.
    package var question: DNSQuestion? { questions.first }

    /// The OPT pseudo-record's EDNS(0) fields, if the message has one.
    package var edns: DNSEDNS? {
        additionals.first { $0.type == .opt }.map(DNSEDNS.init(record:))
    }

    /// The full response code: the header's four bits extended by the OPT record's upper eight (RFC 6891 §6.1.3).
    package var responseCode: DNSResponseCode {
        let extended = UInt16(edns?.extendedRcode ?? 0)
        return DNSResponseCode(rawValue: extended << 4 | header.rcode.rawValue)
    }
}
