import Testing

@testable import DNS

@Suite struct DNSNameWireTests {
    private func decodeName(_ bytes: [UInt8], at offset: Int) throws(DNSError) -> (DNSName, Int) {
        var reader = DNSByteReader(bytes)
        reader.index = offset
        let name = try DNSName.decode(from: &reader)
        return (name, reader.index)
    }

    @Test func decodesUncompressedName() throws {
        let bytes: [UInt8] = [3] + Array("www".utf8) + [7] + Array("example".utf8) + [0, 0xAA]
        let (name, end) = try decodeName(bytes, at: 0)
        #expect(name == (try DNSName("www.example")))
        #expect(end == 13)
    }

    @Test func followsPointerAndResumesAfterIt() throws {
        // offset 0: "example.com", offset 13: "www" + pointer to 0, then one more byte.
        let bytes: [UInt8] =
            [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0]
            + [3] + Array("www".utf8) + [0xC0, 0x00, 0xFF]
        let (name, end) = try decodeName(bytes, at: 13)
        #expect(name.description == "www.example.com")
        #expect(end == 19)
    }

    @Test func rejectsPointerToItself() {
        #expect(throws: DNSError(.invalidCompressionPointer, "")) { try decodeName([0xC0, 0x00], at: 0) }
    }

    @Test func rejectsForwardPointer() {
        let bytes: [UInt8] = [0xC0, 0x03, 0x00, 0x01, 0x61, 0x00]
        #expect(throws: DNSError(.invalidCompressionPointer, "")) { try decodeName(bytes, at: 0) }
    }

    @Test func rejectsPointerChainThatTurnsBack() {
        // offset 7: label "b" then a pointer to 5; offset 5: a pointer back to 7. The second hop is not
        // earlier than the labels that led to it, so the loop is caught on its first turn.
        let bytes: [UInt8] = [0x01, 0x61, 0x00, 0x00, 0x00, 0xC0, 0x07, 0x01, 0x62, 0xC0, 0x05]
        #expect(throws: DNSError(.invalidCompressionPointer, "")) { try decodeName(bytes, at: 7) }
    }

    @Test func followsChainOfEarlierPointers() throws {
        // offset 7: "b" then pointer to 5; offset 5: pointer to 0; offset 0: "a". Each hop goes further back.
        let bytes: [UInt8] = [0x01, 0x61, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x01, 0x62, 0xC0, 0x05]
        let (name, end) = try decodeName(bytes, at: 7)
        #expect(name.description == "b.a")
        #expect(end == 11)
    }

    @Test func rejectsReservedLabelTypes() {
        #expect(throws: DNSError(.labelTooLong, "")) {
            try decodeName([0x40] + Array(repeating: 0x61, count: 64) + [0], at: 0)
        }
        #expect(throws: DNSError(.labelTooLong, "")) { try decodeName([0x80, 0x00], at: 0) }
    }

    @Test func rejectsOutOfBoundsReads() {
        #expect(throws: DNSError(.truncated, "")) { try decodeName([0x05, 0x61, 0x62], at: 0) }
        #expect(throws: DNSError(.truncated, "")) { try decodeName([0x01, 0x61], at: 0) }
        #expect(throws: DNSError(.truncated, "")) { try decodeName([0x01, 0x61, 0xC0], at: 0) }
        #expect(throws: DNSError(.truncated, "")) { try decodeName([], at: 0) }
    }

    @Test func encodesWithCompressionAgainstEarlierSuffixes() throws {
        var writer = DNSByteWriter()
        writer.write(try DNSName("example.com"), compress: true)
        writer.write(try DNSName("mail.EXAMPLE.com"), compress: true)
        writer.write(try DNSName("com"), compress: true)
        writer.write(try DNSName("mail.example.com"), compress: false)
        let expected: [UInt8] =
            [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0]
            + [4] + Array("mail".utf8) + [0xC0, 0x00]
            + [0xC0, 0x08]
            + [4] + Array("mail".utf8) + [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0]
        #expect(writer.bytes == expected)
        var reader = DNSByteReader(writer.bytes)
        reader.index = 13
        #expect(try DNSName.decode(from: &reader).description == "mail.example.com")
        #expect(try DNSName.decode(from: &reader).description == "com")
    }

    @Test func rootEncodesAsSingleZero() {
        var writer = DNSByteWriter()
        writer.write(DNSName.root, compress: true)
        #expect(writer.bytes == [0])
    }
}
