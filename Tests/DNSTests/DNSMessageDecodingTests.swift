import Testing

@testable import DNS

@Suite struct DNSMessageDecodingTests {
    private func decode(_ hex: String) throws(DNSError) -> DNSMessage {
        try DNSMessage(decoding: DNSPacketFixtures.bytes(hex))
    }

    @Test func decodesHeaderFlags() throws {
        let message = try decode(DNSPacketFixtures.mxResponse)
        #expect(message.id == 0x1234)
        #expect(message.header.isResponse)
        #expect(message.header.opcode == .query)
        #expect(!message.header.isAuthoritativeAnswer)
        #expect(!message.header.isTruncated)
        #expect(message.header.isRecursionDesired)
        #expect(message.header.isRecursionAvailable)
        #expect(message.responseCode == .noError)
        #expect(message.question == DNSQuestion(name: try DNSName("example.com"), type: .mx))
    }

    @Test func decodesMXWithCompressedAndPlainExchanges() throws {
        let message = try decode(DNSPacketFixtures.mxResponse)
        #expect(message.answers.count == 2)
        #expect(message.answers[0].ttl == 3600)
        #expect(message.answers[0].data == .mx(DNSMXRecord(preference: 10, exchange: try DNSName("mail.example.com"))))
        #expect(message.answers[1].data == .mx(DNSMXRecord(preference: 5, exchange: try DNSName("mx2.example.net"))))
    }

    @Test func decodesTXTWithTwoCharacterStrings() throws {
        let message = try decode(DNSPacketFixtures.txtMultiStringResponse)
        guard case .txt(let txt) = try #require(message.answers.first).data else {
            Issue.record("not TXT")
            return
        }
        #expect(txt.strings == [Array("v=STSv1;".utf8), Array(" id=20250101T00".utf8)])
        #expect(txt.texts == ["v=STSv1;", " id=20250101T00"])
        #expect(txt.joinedText == "v=STSv1; id=20250101T00")
    }

    @Test func decodesCAAFlagsTagAndValue() throws {
        let message = try decode(DNSPacketFixtures.caaResponse)
        let records = message.answers.compactMap { record -> DNSCAARecord? in
            if case .caa(let caa) = record.data { return caa }
            return nil
        }
        #expect(
            records == [
                DNSCAARecord(flags: 0, tag: "issue", value: "letsencrypt.org"),
                DNSCAARecord(flags: 128, tag: "iodef", value: "mailto:ca@example.com"),
            ]
        )
        #expect(records.map(\.isCritical) == [false, true])
        #expect(records.first?.valueText == "letsencrypt.org")
    }

    @Test func decodesCNAMEAAndAAAA() throws {
        let message = try decode(DNSPacketFixtures.cnameChainResponse)
        let example = try DNSName("example.com")
        #expect(message.answers.map(\.type) == [.cname, .a, .aaaa])
        #expect(message.answers[0].data == .cname(example))
        #expect(message.answers[1].name == example)
        #expect(message.answers[1].data == .a(IPv4Address(192, 0, 2, 1)))
        #expect(message.answers[2].data == .aaaa(try #require(IPv6Address("2001:db8::1"))))
    }

    @Test func decodesNXDOMAINWithSOAAndOPT() throws {
        let message = try decode(DNSPacketFixtures.nxdomainResponse)
        #expect(message.responseCode == .nameError)
        #expect(message.answers.isEmpty)
        let soa = DNSSOARecord(
            primaryServer: try DNSName("ns1.example.com"),
            responsibleMailbox: try DNSName("hostmaster.example.com"),
            serial: 2_024_010_101,
            refresh: 7200,
            retry: 3600,
            expire: 1_209_600,
            minimum: 300
        )
        #expect(message.authorities.first?.data == .soa(soa))
        let edns = try #require(message.edns)
        #expect(edns.udpPayloadSize == 1232)
        #expect(edns.dnssecOK)
        #expect(edns.version == 0)
        #expect(edns.options.isEmpty)
    }

    @Test func keepsUnknownTypesAsRawBytes() throws {
        let message = try decode(DNSPacketFixtures.unknownTypeResponse)
        let record = try #require(message.answers.first)
        #expect(record.type == DNSRecordType(rawValue: 65))
        #expect(record.type.description == "TYPE65")
        #expect(record.data == .unknown(DNSPacketFixtures.bytes("0001000001000302683202")))
    }

    @Test func rejectsTruncatedHeader() {
        #expect(throws: DNSError(.truncated, "")) { try decode(DNSPacketFixtures.truncatedHeader) }
        #expect(throws: DNSError(.truncated, "")) { try DNSMessage(decoding: []) }
    }

    @Test func rejectsPointerLoops() {
        #expect(throws: DNSError(.invalidCompressionPointer, "")) { try decode(DNSPacketFixtures.pointerLoop) }
        #expect(throws: DNSError(.invalidCompressionPointer, "")) { try decode(DNSPacketFixtures.pointerLoopTwoStep) }
    }

    @Test func rejectsPointerPastTheEnd() {
        #expect(throws: DNSError(.invalidCompressionPointer, "")) { try decode(DNSPacketFixtures.pointerPastEnd) }
        #expect(throws: DNSError(.truncated, "")) { try decode(DNSPacketFixtures.pointerCutOff) }
    }

    @Test func rejectsLabelLength64() {
        #expect(throws: DNSError(.labelTooLong, "")) { try decode(DNSPacketFixtures.labelLength64) }
    }

    @Test func rejectsNamesLongerThan255Bytes() {
        #expect(throws: DNSError(.nameTooLong, "")) { try decode(DNSPacketFixtures.nameTooLong) }
        #expect(throws: DNSError(.nameTooLong, "")) { try decode(DNSPacketFixtures.compressedNameTooLong) }
    }

    @Test func rejectsRecordDataThatDoesNotFitItsLength() {
        #expect(throws: DNSError(.invalidRecordData, "")) { try decode(DNSPacketFixtures.rdataLengthMismatch) }
        #expect(throws: DNSError(.invalidRecordData, "")) { try decode(DNSPacketFixtures.txtStringOverrun) }
    }

    @Test func truncatedResponseDecodesOnlyHeaderAndQuestion() throws {
        let bytes = DNSPacketFixtures.bytes(DNSPacketFixtures.truncatedTCResponse)
        #expect(throws: DNSError(.truncated, "")) { try DNSMessage(decoding: bytes) }
        let partial = try DNSMessage.decodeHeaderAndQuestions(bytes)
        #expect(partial.header.isTruncated)
        #expect(partial.id == 0x7777)
        #expect(partial.question == DNSQuestion(name: try DNSName("big.example.com"), type: .txt))
    }

    @Test func rejectsEveryTruncationOfAValidMessage() throws {
        let bytes = DNSPacketFixtures.bytes(DNSPacketFixtures.cnameChainResponse)
        for length in 0..<bytes.count {
            #expect(throws: DNSError.self) { try DNSMessage(decoding: Array(bytes.prefix(length))) }
        }
        #expect(try DNSMessage(decoding: bytes + [0, 0]).answers.count == 3)
    }

    @Test func rejectsMalformedCAA() throws {
        // CAA with tag length 0 and with a non-alphanumeric tag.
        let prefix = "000181800001000100000000076578616d706c6503636f6d0001010001c00c0101000100000001"
        #expect(throws: DNSError(.invalidRecordData, "")) { try decode(prefix + "00030000" + "78") }
        #expect(throws: DNSError(.invalidRecordData, "")) { try decode(prefix + "00040002" + "2d21") }
    }

    @Test func decodesRealUnboundResponses() throws {
        let cname = try decode(DNSPacketFixtures.unboundCNAMEResponse)
        let edge = try DNSName("edge.example.test")
        #expect(cname.answers.map(\.data) == [.cname(edge), .a(IPv4Address(127, 0, 0, 1))])
        #expect(cname.edns?.udpPayloadSize == 1232)
        let question = try #require(cname.question)
        #expect(
            DNSLookupResult(response: cname, question: question)
                == .answer(records: [cname.answers[1]], cnameChain: [edge])
        )

        let nxdomain = try decode(DNSPacketFixtures.unboundNXDOMAINResponse)
        #expect(nxdomain.responseCode == .nameError)
        guard case .soa(let soa) = nxdomain.authorities.first?.data else {
            Issue.record("expected SOA in authority")
            return
        }
        #expect(soa.responsibleMailbox == (try DNSName("hostmaster.example.test")))

        let truncated = try decode(DNSPacketFixtures.unboundTruncatedResponse)
        #expect(truncated.header.isTruncated)
        #expect(truncated.answers.isEmpty)
        #expect(
            DNSClient.isResponse(
                truncated,
                id: 0x8F5F,
                question: DNSQuestion(name: try DNSName("BIG.example.test"), type: .txt)
            )
        )
    }
}
