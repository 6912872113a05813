import DNS

/// What the responder needs from a received message, read straight from its bytes.
///
/// Parsing never fails as a whole: it fills in what it could read and records the first ``FormatProblem``, so the
/// responder can still echo the ID, the question and the EDNS state in a FORMERR. Records other than OPT are
/// skipped without being decoded (their data is irrelevant to a query), so an unknown or odd record in a query is
/// no reason to refuse it.
///
/// ```swift
/// let query = AuthoritativeQuery(parsing: bytes)   // nil: fewer than 12 bytes, no header to answer
/// if query?.formatProblem == nil, let question = query?.question { … }
/// ```
struct AuthoritativeQuery: Sendable, Hashable {
    /// Why a message is malformed (each answered with FORMERR).
    enum FormatProblem: Sendable, Hashable {
        /// The message ends inside a name, a field or a record (RFC 1035 §4.1).
        case truncated
        /// A question label is longer than 63 bytes, the name longer than 255 (RFC 1035 §2.3.4), or it uses a
        /// compression pointer, which in the first name of a message can only point into the header.
        case invalidQuestionName
        /// QDCOUNT is not 1 (RFC 9619 §4 for more than one; a query without a question asks nothing).
        case questionCount(Int)
        /// More than one OPT record (RFC 6891 §6.1.1).
        case multipleOPT
        /// An OPT record outside the additional section, or not owned by the root (RFC 6891 §6.1.1, §6.1.2).
        case misplacedOPT
        /// The OPT's options do not exactly fill its RDATA (RFC 6891 §6.1.2).
        case malformedOPT
    }

    /// The EDNS(0) fields of the query's OPT record (RFC 6891 §6.1.2, §6.1.3).
    struct EDNS: Sendable, Hashable {
        /// The requester's UDP payload size.
        var udpPayloadSize: UInt16
        /// The EDNS version the requester speaks.
        var version: UInt8
        /// The DO bit (RFC 3225 §3).
        var dnssecOK: Bool
    }

    /// The message ID.
    var id: UInt16
    /// QR: set when the message is itself a response.
    var isResponse: Bool
    /// The OPCODE.
    var opcode: DNSOpcode
    /// RD, copied into the response (RFC 1035 §4.1.1).
    var isRecursionDesired: Bool
    /// CD, copied into the response (RFC 4035 §3).
    var isCheckingDisabled: Bool
    /// QDCOUNT as announced.
    var questionCount: Int
    /// The first question, exactly as received (label case preserved), when it could be read.
    var question: DNSQuestion?
    /// The OPT record's fields, when one was read (the first one, if there were several).
    var edns: EDNS?
    /// The first problem found; nil for a well-formed message.
    var formatProblem: FormatProblem?
}
