// MARK: - Wire format (RFC 1035 §3.1, §4.1.4)

extension DNSName {
    /// Most compression pointers followed in one name. Targets must strictly decrease, so this bound is
    /// belt and braces: 255 bytes of name cannot need more than 127 jumps.
    static let maxPointerJumps = 127

    /// Decodes a possibly compressed name at the reader's position and moves the reader past it.
    ///
    /// A pointer must point strictly before the start of the labels that led to it, so loops and forward
    /// references are rejected; label types `01` and `10` (lengths 64–191) are rejected as over-long labels.
    /// - Throws: ``DNSError`` with `truncated`, `labelTooLong`, `nameTooLong` or `invalidCompressionPointer`.
    static func decode(from reader: inout DNSByteReader) throws(DNSError) -> DNSName {
        let bytes = reader.bytes
        var labels: [[UInt8]] = []
        var wireLength = 1
        var position = reader.index
        var floor = reader.index
        var jumps = 0
        var resumeIndex: Int?
        while true {
            guard position < bytes.count else {
                throw DNSError(.truncated, "name runs past the end of the message at offset \(position)")
            }
            let length = bytes[position]
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    reader.index = resumeIndex ?? position + 1
                    return DNSName(validatedLabels: labels)
                }
                let start = position + 1
                let end = start + Int(length)
                guard end <= bytes.count else {
                    throw DNSError(.truncated, "label of \(length) bytes at offset \(position) runs past the end")
                }
                wireLength += 1 + Int(length)
                guard wireLength <= maxWireLength else {
                    throw DNSError(.nameTooLong, "name at offset \(reader.index) exceeds 255 bytes")
                }
                labels.append(Array(bytes[start..<end]))
                position = end
            case 0xC0:
                guard position + 1 < bytes.count else {
                    throw DNSError(.truncated, "compression pointer at offset \(position) is cut off")
                }
                let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < floor else {
                    throw DNSError(
                        .invalidCompressionPointer,
                        "pointer at offset \(position) to \(target) does not point to an earlier name"
                    )
                }
                jumps += 1
                guard jumps <= maxPointerJumps else {
                    throw DNSError(.invalidCompressionPointer, "more than \(maxPointerJumps) pointers in one name")
                }
                if resumeIndex == nil {
                    resumeIndex = position + 2
                }
                floor = target
                position = target
            default:
                throw DNSError(
                    .labelTooLong,
                    "label length byte \(length) at offset \(position) exceeds 63 and is not a pointer"
                )
            }
        }
    }
}
