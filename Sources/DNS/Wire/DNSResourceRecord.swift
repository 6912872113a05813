/// A resource record (RFC 1035 §4.1.3).
package struct DNSResourceRecord: Sendable, Hashable {
    /// The owner name.
    package var name: DNSName
    /// The record type. Kept separately from ``data`` so unknown types keep their code.
    package var type: DNSRecordType
    /// The class; for OPT, the requester's UDP payload size (RFC 6891 §6.1.2).
    package var recordClass: DNSClass
    /// Time to live in seconds; for OPT, extended RCODE, version and flags (RFC 6891 §6.1.3).
    package var ttl: UInt32
    /// The typed record data.
    package var data: DNSRecordData

    /// Creates a record.
    package init(
        name: DNSName,
        type: DNSRecordType,
        recordClass: DNSClass = .internet,
        ttl: UInt32,
        data: DNSRecordData
    ) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// Creates a record whose type follows from its data (`.unknown` data needs the explicit initializer).
    package init(name: DNSName, ttl: UInt32, data: DNSRecordData) {
        let type: DNSRecordType =
            switch data {
            case .a: .a
            case .aaaa: .aaaa
            case .cname: .cname
            case .ns: .ns
            case .mx: .mx
            case .txt: .txt
            case .caa: .caa
            case .soa: .soa
            case .opt: .opt
            case .unknown: DNSRecordType(rawValue: 0)
            }
        self.init(name: name, type: type, ttl: ttl, data: data)
    }

    /// An OPT pseudo-record advertising `udpPayloadSize` (RFC 6891 §6.1.2); the DO bit asks for DNSSEC records.
    package static func opt(udpPayloadSize: UInt16 = 4096, dnssecOK: Bool = false) -> DNSResourceRecord {
        DNSResourceRecord(
            name: .root,
            type: .opt,
            recordClass: DNSClass(rawValue: udpPayloadSize),
            ttl: dnssecOK ? 0x8000 : 0,
            data: .opt([])
        )
    }

    /// Decodes a record at the reader's position.
    static func decode(from reader: inout DNSByteReader) throws(DNSError) -> DNSResourceRecord {
        let name = try DNSName.decode(from: &reader)
        let type = DNSRecordType(rawValue: try reader.readUInt16("TYPE"))
        let recordClass = DNSClass(rawValue: try reader.readUInt16("CLASS"))
        let ttl = try reader.readUInt32("TTL")
        let length = Int(try reader.readUInt16("RDLENGTH"))
        let data = try DNSRecordData.decode(type: type, length: length, from: &reader)
        return DNSResourceRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data)
    }

    /// Appends the record, patching RDLENGTH once the data is written. Data beyond 65535 bytes cannot be
    /// represented and is cut off so the framing stays valid.
    func encode(into writer: inout DNSByteWriter) {
        writer.write(name, compress: true)
        writer.write(type.rawValue)
        writer.write(recordClass.rawValue)
        writer.write(ttl)
        let lengthOffset = writer.count
        writer.write(UInt16(0))
        data.encode(into: &writer)
        var length = writer.count - lengthOffset - 2
        if length > Int(UInt16.max) {
            writer.truncate(to: lengthOffset + 2 + Int(UInt16.max))
            length = Int(UInt16.max)
        }
        writer.patch(UInt16(length), at: lengthOffset)
    }
}
