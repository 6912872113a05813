import DNS

// MARK: - Parsing (RFC 1035 §4.1, RFC 6891 §6.1)

extension AuthoritativeQuery {
    /// Reads a received message; nil when it is shorter than the 12-byte header (there is no ID to answer).
    ///
    /// A response (QR set) is only read as far as its header: it is never answered.
    init?(parsing bytes: [UInt8]) {
        guard bytes.count >= 12 else { return nil }
        var reader = Reader(bytes: bytes, index: 0)
        let id = reader.uint16()
        let flags = reader.uint16()
        let counts = (0..<4).map { _ in Int(reader.uint16()) }
        self.init(
            id: id,
            isResponse: flags & 0x8000 != 0,
            opcode: DNSOpcode(rawValue: UInt8((flags >> 11) & 0x0F)),
            isRecursionDesired: flags & 0x0100 != 0,
            isCheckingDisabled: flags & 0x0010 != 0,
            questionCount: counts[0]
        )
        guard !isResponse else { return }
        parseBody(&reader, counts: counts)
    }

    private init(
        id: UInt16,
        isResponse: Bool,
        opcode: DNSOpcode,
        isRecursionDesired: Bool,
        isCheckingDisabled: Bool,
        questionCount: Int
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isRecursionDesired = isRecursionDesired
        self.isCheckingDisabled = isCheckingDisabled
        self.questionCount = questionCount
        self.question = nil
        self.edns = nil
        self.formatProblem = nil
    }

    /// Reads the questions and skims the records, stopping at the first problem.
    private mutating func parseBody(_ reader: inout Reader, counts: [Int]) {
        for index in 0..<counts[0] {
            guard let question = reader.question() else {
                formatProblem = reader.problem
                return
            }
            if index == 0 {
                self.question = question
            }
        }
        for section in 1...3 {
            for _ in 0..<counts[section] {
                guard let record = reader.recordHeader() else {
                    formatProblem = .truncated
                    return
                }
                guard record.type == DNSRecordType.opt.rawValue else { continue }
                // RFC 6891 §6.1.1: one OPT, in the additional section; §6.1.2: owned by the root.
                let fields = EDNS(
                    udpPayloadSize: record.recordClass,
                    version: UInt8((record.ttl >> 16) & 0xFF),
                    dnssecOK: record.ttl & 0x8000 != 0
                )
                if edns != nil {
                    formatProblem = .multipleOPT
                    return
                }
                edns = fields
                guard section == 3, record.isOwnedByRoot else {
                    formatProblem = .misplacedOPT
                    return
                }
                guard Reader.optionsFill(reader.bytes, record.data) else {
                    formatProblem = .malformedOPT
                    return
                }
            }
        }
        // RFC 9619 §4: a QUERY carries exactly one question; other opcodes are refused before this matters.
        if counts[0] != 1 {
            formatProblem = .questionCount(counts[0])
        }
    }
}

/// A bounds-checked cursor for ``AuthoritativeQuery``; every read past the end yields nil or zero and is caught by
/// the caller's checks, so no input can trap.
private struct Reader {
    /// The fixed part of a record plus where its RDATA lies.
    struct RecordHeader {
        let isOwnedByRoot: Bool
        let type: UInt16
        let recordClass: UInt16
        let ttl: UInt32
        let data: Range<Int>
    }

    let bytes: [UInt8]
    var index: Int
    /// Why the last ``question()`` failed.
    var problem: AuthoritativeQuery.FormatProblem = .truncated

    /// Reads a 16-bit field; the caller has checked the length (the header) or checks it after.
    mutating func uint16() -> UInt16 {
        guard index + 2 <= bytes.count else {
            index = bytes.count + 1
            return 0
        }
        defer { index += 2 }
        return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }

    /// Reads an uncompressed name and the QTYPE and QCLASS after it.
    mutating func question() -> DNSQuestion? {
        var labels: [[UInt8]] = []
        while true {
            guard index < bytes.count else {
                problem = .truncated
                return nil
            }
            let length = Int(bytes[index])
            if length == 0 {
                index += 1
                break
            }
            // Lengths 64-255 are pointers or reserved label types (RFC 1035 §4.1.4, RFC 6891 §5).
            guard length <= DNSName.maxLabelLength else {
                problem = .invalidQuestionName
                return nil
            }
            guard index + 1 + length <= bytes.count else {
                problem = .truncated
                return nil
            }
            labels.append(Array(bytes[(index + 1)..<(index + 1 + length)]))
            index += 1 + length
        }
        guard let name = try? DNSName(labels: labels) else {
            problem = .invalidQuestionName
            return nil
        }
        guard index + 4 <= bytes.count else {
            problem = .truncated
            return nil
        }
        let type = uint16()
        let recordClass = uint16()
        return DNSQuestion(
            name: name,
            type: DNSRecordType(rawValue: type),
            recordClass: DNSClass(rawValue: recordClass)
        )
    }

    /// Skips a record's owner name (labels ending in the root label or a pointer) and reads its fixed fields.
    mutating func recordHeader() -> RecordHeader? {
        let start = index
        while true {
            guard index < bytes.count else { return nil }
            let length = Int(bytes[index])
            if length == 0 {
                index += 1
                break
            }
            if length & 0xC0 == 0xC0 {
                index += 2
                break
            }
            guard length <= DNSName.maxLabelLength else { return nil }
            index += 1 + length
        }
        guard index + 10 <= bytes.count else { return nil }
        let isOwnedByRoot = index == start + 1 && bytes[start] == 0
        let type = uint16()
        let recordClass = uint16()
        let ttl = UInt32(uint16()) << 16 | UInt32(uint16())
        let length = Int(uint16())
        guard index + length <= bytes.count else { return nil }
        defer { index += length }
        return RecordHeader(
            isOwnedByRoot: isOwnedByRoot,
            type: type,
            recordClass: recordClass,
            ttl: ttl,
            data: index..<(index + length)
        )
    }

    /// Whether `data` is a sequence of {code, length, value} options that ends exactly at its end.
    static func optionsFill(_ bytes: [UInt8], _ data: Range<Int>) -> Bool {
        var position = data.lowerBound
        while position < data.upperBound {
            guard position + 4 <= data.upperBound else { return false }
            position += 4 + (Int(bytes[position + 2]) << 8 | Int(bytes[position + 3]))
        }
        return position == data.upperBound
    }
}
