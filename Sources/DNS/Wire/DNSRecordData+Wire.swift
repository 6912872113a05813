// MARK: - Wire format of RDATA

extension DNSRecordData {
    /// Decodes `length` bytes of RDATA for `type`; names may point anywhere earlier in the message.
    /// - Throws: ``DNSError`` when the data is cut off or does not fill exactly `length` bytes.
    static func decode(
        type: DNSRecordType,
        length: Int,
        from reader: inout DNSByteReader
    ) throws(DNSError) -> DNSRecordData {
        try reader.require(length, "RDATA of \(type)")
        let end = reader.index + length
        let data: DNSRecordData
        switch type {
        case .a:
            guard length == 4, let address = IPv4Address(bytes: try reader.readBytes(4)) else {
                throw DNSError(.invalidRecordData, "A record data has \(length) bytes, not 4")
            }
            data = .a(address)
        case .aaaa:
            guard length == 16, let address = IPv6Address(bytes: try reader.readBytes(16)) else {
                throw DNSError(.invalidRecordData, "AAAA record data has \(length) bytes, not 16")
            }
            data = .aaaa(address)
        case .cname:
            data = .cname(try DNSName.decode(from: &reader))
        case .ns:
            data = .ns(try DNSName.decode(from: &reader))
        case .mx:
            let preference = try reader.readUInt16("MX preference")
            data = .mx(DNSMXRecord(preference: preference, exchange: try DNSName.decode(from: &reader)))
        case .txt:
            var strings: [[UInt8]] = []
            while reader.index < end {
                let count = Int(try reader.readUInt8("TXT string length"))
                guard reader.index + count <= end else {
                    throw DNSError(.invalidRecordData, "TXT character-string runs past its RDATA")
                }
                strings.append(try reader.readBytes(count))
            }
            data = .txt(DNSTXTRecord(strings: strings))
        case .caa:
            data = .caa(try decodeCAA(end: end, from: &reader))
        case .soa:
            data = .soa(try decodeSOA(from: &reader))
        case .opt:
            var options: [DNSEDNSOption] = []
            while reader.index < end {
                let code = try reader.readUInt16("EDNS option code")
                let count = Int(try reader.readUInt16("EDNS option length"))
                guard reader.index + count <= end else {
                    throw DNSError(.invalidRecordData, "EDNS option \(code) runs past its RDATA")
                }
                options.append(DNSEDNSOption(code: code, data: try reader.readBytes(count)))
            }
            data = .opt(options)
        default:
            data = .unknown(try reader.readBytes(length))
        }
        guard reader.index == end else {
            throw DNSError(.invalidRecordData, "\(type) record data does not fill its RDLENGTH of \(length)")
        }
        return data
    }

    private static func decodeCAA(end: Int, from reader: inout DNSByteReader) throws(DNSError) -> DNSCAARecord {
        let flags = try reader.readUInt8("CAA flags")
        let tagLength = Int(try reader.readUInt8("CAA tag length"))
        guard tagLength >= 1, reader.index + tagLength <= end else {
            throw DNSError(.invalidRecordData, "CAA tag length \(tagLength) is zero or runs past its RDATA")
        }
        let tag = try reader.readBytes(tagLength)
        let isAlphanumeric: (UInt8) -> Bool = { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard tag.allSatisfy(isAlphanumeric) else {
            throw DNSError(.invalidRecordData, "CAA tag is not alphanumeric (RFC 8659 §4.1)")
        }
        let value = try reader.readBytes(end - reader.index)
        return DNSCAARecord(flags: flags, tag: String(decoding: tag, as: UTF8.self), value: value)
    }

    private static func decodeSOA(from reader: inout DNSByteReader) throws(DNSError) -> DNSSOARecord {
        let primary = try DNSName.decode(from: &reader)
        let mailbox = try DNSName.decode(from: &reader)
        return DNSSOARecord(
            primaryServer: primary,
            responsibleMailbox: mailbox,
            serial: try reader.readUInt32("SOA serial"),
            refresh: try reader.readUInt32("SOA refresh"),
            retry: try reader.readUInt32("SOA retry"),
            expire: try reader.readUInt32("SOA expire"),
            minimum: try reader.readUInt32("SOA minimum")
        )
    }

    /// Appends the RDATA (without RDLENGTH). Names in RFC 1035 types are compressed; others are not
    /// (RFC 3597 §4).
    func encode(into writer: inout DNSByteWriter) {
        switch self {
        case .a(let address):
            writer.write(contentsOf: address.bytes)
        case .aaaa(let address):
            writer.write(contentsOf: address.bytes)
        case .cname(let name), .ns(let name):
            writer.write(name, compress: true)
        case .mx(let mx):
            writer.write(mx.preference)
            writer.write(mx.exchange, compress: true)
        case .txt(let txt):
            for string in txt.strings {
                // A character-string holds at most 255 bytes; longer text is split as zone-file tools do.
                var start = 0
                repeat {
                    let end = min(start + 255, string.count)
                    writer.write(UInt8(end - start))
                    writer.write(contentsOf: string[start..<end])
                    start = end
                } while start < string.count
            }
        case .caa(let caa):
            let tag = Array(caa.tag.utf8.prefix(255))
            writer.write(caa.flags)
            writer.write(UInt8(tag.count))
            writer.write(contentsOf: tag)
            writer.write(contentsOf: caa.value)
        case .soa(let soa):
            writer.write(soa.primaryServer, compress: true)
            writer.write(soa.responsibleMailbox, compress: true)
            for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] {
                writer.write(value)
            }
        case .opt(let options):
            for option in options {
                let data = option.data.prefix(Int(UInt16.max))
                writer.write(option.code)
                writer.write(UInt16(data.count))
                writer.write(contentsOf: data)
            }
        case .unknown(let bytes):
            writer.write(contentsOf: bytes)
        }
    }
}
