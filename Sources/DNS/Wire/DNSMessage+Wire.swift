// MARK: - Wire format (RFC 1035 §4.1)

extension DNSMessage {
    /// Decodes a complete message.
    ///
    /// Bytes after the last record announced by the header are ignored.
    /// - Throws: ``DNSError`` when a field is cut off, a name is malformed or record data does not match its type.
    package init(decoding bytes: [UInt8]) throws(DNSError) {
        var reader = DNSByteReader(bytes)
        let (header, counts) = try Self.decodeHeader(from: &reader)
        var questions: [DNSQuestion] = []
        for _ in 0..<counts.questions {
            questions.append(try DNSQuestion.decode(from: &reader))
        }
        var sections: [[DNSResourceRecord]] = [[], [], []]
        for (section, count) in [counts.answers, counts.authorities, counts.additionals].enumerated() {
            for _ in 0..<count {
                sections[section].append(try DNSResourceRecord.decode(from: &reader))
            }
        }
        self.init(
            header: header,
            questions: questions,
            answers: sections[0],
            authorities: sections[1],
            additionals: sections[2]
        )
    }

    /// Decodes only the header and question section, as needed to recognise a truncated (TC) response whose
    /// records were cut off mid-way.
    package static func decodeHeaderAndQuestions(_ bytes: [UInt8]) throws(DNSError) -> DNSMessage {
        var reader = DNSByteReader(bytes)
        let (header, counts) = try decodeHeader(from: &reader)
        var questions: [DNSQuestion] = []
        for _ in 0..<counts.questions {
            questions.append(try DNSQuestion.decode(from: &reader))
        }
        return DNSMessage(header: header, questions: questions)
    }

    private struct SectionCounts {
        var questions: Int
        var answers: Int
        var authorities: Int
        var additionals: Int
    }

    private static func decodeHeader(from reader: inout DNSByteReader) throws(DNSError) -> (DNSHeader, SectionCounts) {
        try reader.require(12, "header")
        let id = try reader.readUInt16()
        let flags = try reader.readUInt16()
        let counts = SectionCounts(
            questions: Int(try reader.readUInt16()),
            answers: Int(try reader.readUInt16()),
            authorities: Int(try reader.readUInt16()),
            additionals: Int(try reader.readUInt16())
        )
        return (DNSHeader(id: id, flags: flags), counts)
    }

    /// Encodes the message with name compression. Sections longer than 65535 entries are cut to fit the
    /// 16-bit counts.
    package func encoded() -> [UInt8] {
        let limit = Int(UInt16.max)
        let sections = [answers, authorities, additionals].map { Array($0.prefix(limit)) }
        let questions = Array(self.questions.prefix(limit))
        var writer = DNSByteWriter()
        writer.write(header.id)
        writer.write(header.flags)
        writer.write(UInt16(questions.count))
        for section in sections {
            writer.write(UInt16(section.count))
        }
        for question in questions {
            question.encode(into: &writer)
        }
        for record in sections.joined() {
            record.encode(into: &writer)
        }
        return writer.bytes
    }
}
