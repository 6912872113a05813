/// A question: the name, type and class asked about (RFC 1035 §4.1.2).
package struct DNSQuestion: Sendable, Hashable {
    /// The name asked about.
    package var name: DNSName
    /// The type asked for.
    package var type: DNSRecordType
    /// The class, normally ``DNSClass/internet``.
    package var recordClass: DNSClass

    /// Creates a question.
    package init(name: DNSName, type: DNSRecordType, recordClass: DNSClass = .internet) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }

    /// Decodes a question at the reader's position.
    static func decode(from reader: inout DNSByteReader) throws(DNSError) -> DNSQuestion {
        let name = try DNSName.decode(from: &reader)
        let type = DNSRecordType(rawValue: try reader.readUInt16("QTYPE"))
        let recordClass = DNSClass(rawValue: try reader.readUInt16("QCLASS"))
        return DNSQuestion(name: name, type: type, recordClass: recordClass)
    }

    /// Appends the question.
    func encode(into writer: inout DNSByteWriter) {
        writer.write(name, compress: true)
        writer.write(type.rawValue)
        writer.write(recordClass.rawValue)
    }
}
