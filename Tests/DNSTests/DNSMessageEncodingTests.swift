import Testing

@testable import DNS

@Suite struct DNSMessageEncodingTests {
    @Test func encodesQueryWithRDAndEDNS() throws {
        let query = DNSMessage.query(id: 0xABCD, name: try DNSName("example.com"), type: .a)
        let expected = "abcd01000001000000000001076578616d706c6503636f6d0000010001" + "0000291000000000000000"
        #expect(query.encoded() == DNSPacketFixtures.bytes(expected))
        #expect(query.edns?.udpPayloadSize == 4096)
    }

    @Test func encodesQueryWithoutEDNS() throws {
        let query = DNSMessage.query(
            id: 1,
            name: try DNSName("example.com"),
            type: .mx,
            recursionDesired: false,
            udpPayloadSize: nil
        )
        #expect(
            query.encoded() == DNSPacketFixtures.bytes("000100000001000000000000076578616d706c6503636f6d00000f0001")
        )
        #expect(query.edns == nil)
    }

    @Test func reencodesFixturesToTheSameBytes() throws {
        // These fixtures were built with the same compression choices the encoder makes.
        for hex in [
            DNSPacketFixtures.txtMultiStringResponse, DNSPacketFixtures.caaResponse,
            DNSPacketFixtures.cnameChainResponse,
        ] {
            let bytes = DNSPacketFixtures.bytes(hex)
            #expect(try DNSMessage(decoding: bytes).encoded() == bytes)
        }
    }

    @Test(arguments: [
        DNSPacketFixtures.mxResponse, DNSPacketFixtures.txtMultiStringResponse, DNSPacketFixtures.caaResponse,
        DNSPacketFixtures.cnameChainResponse, DNSPacketFixtures.nxdomainResponse, DNSPacketFixtures.unknownTypeResponse,
    ])
    func fixturesSurviveDecodeEncodeDecode(hex: String) throws {
        let message = try DNSMessage(decoding: DNSPacketFixtures.bytes(hex))
        #expect(try DNSMessage(decoding: message.encoded()) == message)
    }

    @Test func everyRecordTypeRoundTrips() throws {
        let owner = try DNSName("host.example.test")
        let records: [DNSResourceRecord] = [
            DNSResourceRecord(name: owner, ttl: 1, data: .a(IPv4Address(127, 0, 0, 1))),
            DNSResourceRecord(name: owner, ttl: 2, data: .aaaa(.loopback)),
            DNSResourceRecord(name: owner, ttl: 3, data: .cname(try DNSName("edge.platform.test"))),
            DNSResourceRecord(name: owner, ttl: 4, data: .ns(try DNSName("ns1.example.test"))),
            DNSResourceRecord(
                name: owner,
                ttl: 5,
                data: .mx(DNSMXRecord(preference: 10, exchange: try DNSName("mx.example.test")))
            ),
            DNSResourceRecord(name: owner, ttl: 6, data: .txt(DNSTXTRecord(["v=STSv1; id=1", "", "second"]))),
            DNSResourceRecord(name: owner, ttl: 7, data: .caa(DNSCAARecord(flags: 128, tag: "issuewild", value: ";"))),
            DNSResourceRecord(
                name: owner,
                ttl: 8,
                data: .soa(
                    DNSSOARecord(
                        primaryServer: try DNSName("ns1.example.test"),
                        responsibleMailbox: try DNSName("h.example.test"),
                        serial: 1,
                        refresh: 2,
                        retry: 3,
                        expire: 4,
                        minimum: 5
                    )
                )
            ),
            DNSResourceRecord(name: owner, type: DNSRecordType(rawValue: 99), ttl: 9, data: .unknown([1, 2, 3])),
        ]
        var message = DNSMessage(
            header: DNSHeader(
                id: 7,
                isResponse: true,
                isAuthoritativeAnswer: true,
                isRecursionAvailable: true,
                rcode: .noError
            ),
            questions: [DNSQuestion(name: owner, type: .txt)],
            answers: records,
            authorities: [records[3]],
            additionals: [.opt(udpPayloadSize: 1232, dnssecOK: true)]
        )
        message.additionals[0].data = .opt([DNSEDNSOption(code: 10, data: [1, 2, 3, 4, 5, 6, 7, 8])])
        let decoded = try DNSMessage(decoding: message.encoded())
        #expect(decoded == message)
        #expect(decoded.edns?.options == [DNSEDNSOption(code: 10, data: [1, 2, 3, 4, 5, 6, 7, 8])])
        #expect(decoded.edns?.dnssecOK == true)
    }

    @Test func allHeaderFlagsRoundTrip() throws {
        let header = DNSHeader(
            id: 0xFFFF,
            isResponse: true,
            opcode: .update,
            isAuthoritativeAnswer: true,
            isTruncated: true,
            isRecursionDesired: false,
            isRecursionAvailable: true,
            isAuthenticData: true,
            isCheckingDisabled: true,
            rcode: .refused
        )
        let decoded = try DNSMessage(decoding: DNSMessage(header: header).encoded())
        #expect(decoded.header == header)
        #expect(decoded.encoded().prefix(4) == [0xFF, 0xFF, 0xAE, 0xB5])
    }

    @Test func compressesRepeatedNames() throws {
        let name = try DNSName("a-rather-long-label.example.test")
        let records = (1...5).map { DNSResourceRecord(name: name, ttl: 1, data: .a(IPv4Address(10, 0, 0, UInt8($0)))) }
        let message = DNSMessage(
            header: DNSHeader(id: 1, isResponse: true),
            questions: [DNSQuestion(name: name, type: .a)],
            answers: records
        )
        let bytes = message.encoded()
        // Header 12 + question (34 + 4) + 5 answers of (2-byte pointer + 10 + 4).
        #expect(bytes.count == 12 + 38 + 5 * 16)
        #expect(Array(bytes[50..<52]) == [0xC0, 0x0C])
    }

    @Test func longTXTStringsAreSplitAt255Bytes() throws {
        let text = String(repeating: "x", count: 600)
        let record = DNSResourceRecord(name: try DNSName("t.test"), ttl: 1, data: .txt(DNSTXTRecord([text])))
        let message = DNSMessage(header: DNSHeader(id: 1), answers: [record])
        let decoded = try DNSMessage(decoding: message.encoded())
        guard case .txt(let txt) = decoded.answers.first?.data else {
            Issue.record("not TXT")
            return
        }
        #expect(txt.strings.map(\.count) == [255, 255, 90])
        #expect(txt.joinedText == text)
    }

    @Test func responseCodeCombinesExtendedBits() throws {
        var message = DNSMessage(header: DNSHeader(id: 1, isResponse: true, rcode: DNSResponseCode(rawValue: 0x6)))
        var opt = DNSResourceRecord.opt()
        opt.ttl = 0x0100_0000
        message.additionals = [opt]
        let decoded = try DNSMessage(decoding: message.encoded())
        #expect(decoded.responseCode == DNSResponseCode(rawValue: 0x16))
        #expect(decoded.responseCode.description == "RCODE22")
    }
}
