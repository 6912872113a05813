import DNS
import Testing

@testable import DNSServer

/// The responder against hand-made packets (Fixtures/QueryFixtures.swift): each rule of RFC 1034/1035, 2308, 6891
/// and 8482 the responder implements, with the response decoded and checked field by field.
@Suite struct AuthoritativeResponderTests {
    private let responder: AuthoritativeResponder

    init() throws {
        responder = try TestZone.responder()
    }

    /// Answers `hex` and decodes the response; fails the test when the responder drops the query.
    private func respond(
        _ hex: String,
        over transport: DNSServerTransport = .udp,
        with responder: AuthoritativeResponder? = nil,
        content: FixedZoneContent = TestZone.content
    ) throws -> (message: DNSMessage, bytes: [UInt8]) {
        let outcome = (responder ?? self.responder).respond(to: [UInt8](hex: hex), over: transport, content: content)
        guard case .respond(let response) = outcome else {
            Issue.record("expected a response, got \(outcome)")
            throw DNSServerError(.invalidConfiguration, "no response")
        }
        let message = try DNSMessage(decoding: response.bytes)
        #expect(message == response.message)
        return (message, response.bytes)
    }

    private func soaData(_ record: DNSResourceRecord?) -> DNSSOARecord? {
        guard case .soa(let soa)? = record?.data else { return nil }
        return soa
    }

    private func text(_ record: DNSResourceRecord?) -> String? {
        guard case .txt(let txt)? = record?.data else { return nil }
        return txt.joinedText
    }

    // MARK: - Answers and compression

    @Test func txtAnswerIsByteForByteTheIndependentEncoding() throws {
        let (_, bytes) = try respond(QueryFixtures.txtQuery)
        #expect(bytes.hex == QueryFixtures.txtResponse)
    }

    @Test func nxdomainIsByteForByteTheIndependentEncoding() throws {
        let (_, bytes) = try respond(QueryFixtures.missingLeafQuery)
        #expect(bytes.hex == QueryFixtures.nxdomainResponse)
    }

    @Test func answerOwnerIsAPointerToTheQuestion() throws {
        let query = [UInt8](hex: QueryFixtures.txtQuery)
        let (message, bytes) = try respond(QueryFixtures.txtQuery)
        // The question is copied verbatim, then the answer's owner is the two bytes C0 0C (offset 12).
        #expect(Array(bytes[12..<query.count]) == Array(query[12...]))
        #expect(Array(bytes[query.count..<query.count + 2]) == [0xC0, 0x0C])
        #expect(message.header.isAuthoritativeAnswer)
        #expect(message.header.isRecursionDesired)
        #expect(!message.header.isRecursionAvailable)
        #expect(message.answers.count == 1)
        #expect(message.answers.first?.ttl == 60)
        #expect(text(message.answers.first) == TestZone.stsRecord)
        #expect(message.additionals.isEmpty)  // no OPT without one in the query (RFC 6891 §7)
    }

    @Test func questionCaseIsEchoedExactly() throws {
        let query = [UInt8](hex: QueryFixtures.txtQueryMixedCase)
        let (message, bytes) = try respond(QueryFixtures.txtQueryMixedCase)
        #expect(Array(bytes[12..<query.count]) == Array(query[12...]))
        let labels = message.questions.first?.name.labels.map { String(decoding: $0, as: UTF8.self) }
        #expect(labels == ["AbC123", "_MTA-STS", "Sts", "Platform", "Example"])
        // The label reached the content lower-cased, so the record was found; the owner is the question's spelling.
        #expect(text(message.answers.first) == TestZone.stsRecord)
        #expect(message.answers.first?.name.labels.first == Array("AbC123".utf8))
        #expect(!message.header.isRecursionDesired)
        #expect(message.header.isAuthoritativeAnswer)
    }

    @Test func tlsrptAnswerWithEDNSCarriesOurOPT() throws {
        let (message, _) = try respond(QueryFixtures.tlsrptQuery)
        #expect(message.header.rcode == .noError)
        #expect(text(message.answers.first) == TestZone.tlsrptRecord)
        let edns = try #require(message.edns)
        #expect(edns.udpPayloadSize == 1232)
        #expect(edns.version == 0)
        #expect(!edns.dnssecOK)
        #expect(edns.options.isEmpty)
        #expect(message.additionals.count == 1)
    }

    @Test func soaAtTheApexCopiesTheDOBit() throws {
        let (message, _) = try respond(QueryFixtures.soaQuery)
        #expect(message.header.isAuthoritativeAnswer)
        let record = try #require(message.answers.first)
        #expect(message.answers.count == 1)
        #expect(record.ttl == 3600)
        let soa = try #require(soaData(record))
        #expect(soa.serial == TestZone.serial)
        #expect(soa.primaryServer == (try DNSName("ns1.platform.example")))
        #expect(soa.responsibleMailbox == (try DNSName("hostmaster.sts.platform.example")))
        #expect(soa.minimum == 30)
        #expect(message.authorities.isEmpty)
        #expect(message.edns?.dnssecOK == true)  // RFC 3225 §3
    }

    @Test func nsAtTheApexListsEveryNameServer() throws {
        let (message, _) = try respond(QueryFixtures.nsQuery)
        let targets = message.answers.compactMap { record -> DNSName? in
            guard case .ns(let target) = record.data else { return nil }
            return target
        }
        #expect(targets == [try DNSName("ns1.platform.example"), try DNSName("ns2.platform.example")])
        #expect(message.answers.allSatisfy { $0.ttl == 3600 && $0.name == (try? DNSName(TestZone.apex)) })
        #expect(message.additionals.isEmpty)
    }

    @Test func anyIsAnsweredWithOneRRset() throws {
        let apex = try respond(QueryFixtures.anyApexQuery).message
        #expect(apex.answers.map(\.type) == [.soa])
        let leaf = try respond(QueryFixtures.anyLeafQuery).message
        #expect(leaf.answers.map(\.type) == [.txt])
        #expect(leaf.header.isAuthoritativeAnswer)
    }

    // MARK: - Negative answers (RFC 2308)

    @Test(arguments: [
        QueryFixtures.aAtLeafQuery, QueryFixtures.mtaSTSNonTerminalQuery, QueryFixtures.tlsNonTerminalQuery,
        QueryFixtures.smtpTLSNonTerminalQuery, QueryFixtures.apexTXTQuery,
    ])
    func noDataCarriesTheSOA(query: String) throws {
        let (message, _) = try respond(query)
        #expect(message.header.rcode == .noError)
        #expect(message.header.isAuthoritativeAnswer)
        #expect(message.answers.isEmpty)
        let record = try #require(message.authorities.first)
        #expect(message.authorities.count == 1)
        #expect(record.name == (try DNSName(TestZone.apex)))
        #expect(record.ttl == 30)  // min(SOA TTL 3600, MINIMUM 30)
        #expect(soaData(record)?.serial == TestZone.serial)
    }

    @Test(arguments: [
        QueryFixtures.missingLeafQuery, QueryFixtures.belowLeafQuery, QueryFixtures.otherNameQuery,
        QueryFixtures.dotInLabelQuery,
    ])
    func nxdomainCarriesTheSOA(query: String) throws {
        let (message, _) = try respond(query)
        #expect(message.header.rcode == .nameError)
        #expect(message.header.isAuthoritativeAnswer)
        #expect(message.answers.isEmpty)
        #expect(message.authorities.map(\.type) == [.soa])
        #expect(message.authorities.first?.ttl == 30)
    }

    @Test func negativeTTLIsTheSmallerOfSOATTLAndMinimum() throws {
        var zone = try TestZone.configuration()
        zone.apexTTL = 20
        zone.negativeTTL = 300
        let responder = try AuthoritativeResponder(zone: zone)
        let (message, _) = try respond(QueryFixtures.missingLeafQuery, with: responder)
        #expect(message.authorities.first?.ttl == 20)
        #expect(soaData(message.authorities.first)?.minimum == 300)
    }

    // MARK: - Truncation (RFC 1035 §4.2.1, RFC 6891 §6.2.5, RFC 2181 §9)

    @Test func answerOver512BytesIsTruncatedWithoutEDNS() throws {
        let (message, bytes) = try respond(QueryFixtures.bigTXTWithoutEDNS)
        #expect(message.header.isTruncated)
        #expect(bytes.count <= 512)
        #expect(message.questions.count == 1)
        #expect(message.answers.isEmpty && message.authorities.isEmpty && message.additionals.isEmpty)
        #expect(message.header.isAuthoritativeAnswer)
    }

    @Test func theSameAnswerFitsWithEDNS1232() throws {
        let (message, bytes) = try respond(QueryFixtures.bigTXTWithEDNS1232)
        #expect(!message.header.isTruncated)
        #expect(bytes.count > 512 && bytes.count <= 1232)
        #expect(text(message.answers.first) == TestZone.bigTLSRPTRecord)
        // A TXT string holds 255 bytes at most; the long record is split into several.
        if case .txt(let txt)? = message.answers.first?.data {
            #expect(txt.strings.count == 3)
        }
    }

    @Test func theSameAnswerIsWholeOverTCP() throws {
        let (message, _) = try respond(QueryFixtures.bigTXTWithoutEDNS, over: .tcp)
        #expect(!message.header.isTruncated)
        #expect(text(message.answers.first) == TestZone.bigTLSRPTRecord)
    }

    @Test func advertisedSizeBelow512CountsAs512() throws {
        let (message, bytes) = try respond(QueryFixtures.bigTXTWithEDNS100)
        #expect(message.header.isTruncated)
        #expect(bytes.count <= 512)
        #expect(message.edns?.udpPayloadSize == 1232)  // the OPT stays in a truncated response (RFC 6891 §7)
    }

    @Test func clientSizeIsCappedAtOurMaximum() throws {
        let small = try TestZone.responder(maximumUDPPayload: 600)
        let (message, bytes) = try respond(QueryFixtures.bigTXTWithEDNS4096, with: small)
        #expect(message.header.isTruncated)
        #expect(bytes.count <= 600)
        #expect(message.edns?.udpPayloadSize == 600)
    }

    @Test func answerBeyondTCPFramingIsServerFailure() throws {
        var content = TestZone.content
        content.sts["abc123"] = "v=STSv1; id=1; " + String(repeating: "x", count: 70000)
        let tcp = try respond(QueryFixtures.txtQuery, over: .tcp, content: content).message
        #expect(tcp.header.rcode == .serverFailure)
        #expect(tcp.answers.isEmpty && tcp.questions.count == 1)
        let udp = try respond(QueryFixtures.txtQuery, over: .udp, content: content).message
        #expect(udp.header.isTruncated)
    }

    // MARK: - Refusals and errors

    @Test(arguments: [
        QueryFixtures.outsideZoneQuery, QueryFixtures.parentZoneQuery, QueryFixtures.rootQuery,
        QueryFixtures.chaosQuery,
    ])
    func namesAndClassesWeDoNotServeAreRefused(query: String) throws {
        let (message, _) = try respond(query)
        #expect(message.header.rcode == .refused)
        #expect(!message.header.isAuthoritativeAnswer)
        #expect(!message.header.isRecursionAvailable)
        #expect(message.questions.count == 1)
        #expect(message.answers.isEmpty && message.authorities.isEmpty)
    }

    @Test(arguments: [QueryFixtures.axfrQuery, QueryFixtures.ixfrQuery], DNSServerTransport.allCases)
    func zoneTransfersAreRefused(query: String, transport: DNSServerTransport) throws {
        let (message, _) = try respond(query, over: transport)
        #expect(message.header.rcode == .refused)
        #expect(message.answers.isEmpty)
        #expect(message.questions.first?.type == (query == QueryFixtures.axfrQuery ? .axfr : .ixfr))
    }

    @Test func otherOpcodesAreNotImplemented() throws {
        let notify = try respond(QueryFixtures.notifyQuery).message
        #expect(notify.header.rcode == .notImplemented)
        #expect(notify.header.opcode == .notify)
        #expect(notify.questions.count == 1)
        let update = try respond(QueryFixtures.updateQuery).message
        #expect(update.header.rcode == .notImplemented)
        #expect(update.header.opcode == .update)
        #expect(update.edns != nil)
    }

    @Test func ednsVersion1IsBADVERS() throws {
        let (message, _) = try respond(QueryFixtures.ednsVersion1Query)
        #expect(message.responseCode == .badVersion)
        #expect(message.header.rcode == .noError)  // the upper bits live in the OPT (RFC 6891 §6.1.3)
        #expect(message.edns?.extendedRcode == 1)
        #expect(message.edns?.version == 0)
        #expect(message.answers.isEmpty)
        #expect(message.questions.count == 1)
        #expect(!message.header.isAuthoritativeAnswer)
    }

    @Test(arguments: [
        (QueryFixtures.twoOPTQuery, true), (QueryFixtures.optInAnswerQuery, true),
        (QueryFixtures.optNotRootQuery, true),
        (QueryFixtures.optBadOptionsQuery, true), (QueryFixtures.noQuestionQuery, true),
        (QueryFixtures.twoQuestionsQuery, false), (QueryFixtures.truncatedQuestionQuery, false),
        (QueryFixtures.pointerQuestionQuery, false), (QueryFixtures.longLabelQuery, false),
    ])
    func malformedQueriesAreFORMERR(query: String, hasOPT: Bool) throws {
        let (message, _) = try respond(query)
        #expect(message.header.rcode == .formatError)
        #expect(message.header.id == UInt16([UInt8](hex: query)[0]) << 8 | UInt16([UInt8](hex: query)[1]))
        #expect(message.answers.isEmpty && message.authorities.isEmpty)
        // RFC 6891 §7: an OPT in the query (even a faulty one) means an OPT in the FORMERR.
        #expect((message.edns != nil) == hasOPT)
        #expect(!message.header.isAuthoritativeAnswer)
    }

    @Test func twoOPTsGetAFORMERRWithTheQuestion() throws {
        let (message, _) = try respond(QueryFixtures.twoOPTQuery)
        #expect(message.questions.count == 1)
        #expect(message.additionals.count == 1)
    }

    @Test func responsesAndRuntsGetNoAnswer() throws {
        let responder = self.responder
        #expect(
            responder.respond(to: [UInt8](hex: QueryFixtures.responseMessage), over: .udp, content: TestZone.content)
                == .drop(.notAQuery)
        )
        #expect(
            responder.respond(to: [UInt8](hex: QueryFixtures.shortMessage), over: .tcp, content: TestZone.content)
                == .drop(.shorterThanHeader)
        )
        #expect(responder.respond(to: [], over: .udp, content: TestZone.content) == .drop(.shorterThanHeader))
    }

    // MARK: - Flags and options

    @Test func classANYIsAnsweredButNotAuthoritatively() throws {
        let (message, _) = try respond(QueryFixtures.anyClassQuery)
        #expect(message.header.rcode == .noError)
        #expect(!message.header.isAuthoritativeAnswer)  // RFC 1034 §3.7.1
        #expect(text(message.answers.first) == TestZone.stsRecord)
        #expect(message.questions.first?.recordClass == .any)
    }

    @Test func checkingDisabledIsCopied() throws {
        let (message, _) = try respond(QueryFixtures.checkingDisabledQuery)
        #expect(message.header.isCheckingDisabled)
        #expect(!message.header.isRecursionDesired)
        #expect(!message.header.isAuthenticData)
    }

    @Test func unknownEDNSOptionsAreIgnored() throws {
        let (message, _) = try respond(QueryFixtures.optUnknownOptionsQuery)
        #expect(message.header.rcode == .noError)
        #expect(text(message.answers.first) == TestZone.stsRecord)
        #expect(message.edns?.options.isEmpty == true)
    }

    @Test func serialComesFromTheContent() throws {
        var content = TestZone.content
        content.serial = 7
        let (message, _) = try respond(QueryFixtures.soaQuery, content: content)
        #expect(soaData(message.answers.first)?.serial == 7)
    }

    @Test func truncatedCopyKeepsHeaderQuestionAndOPT() throws {
        let outcome = responder.respond(
            to: [UInt8](hex: QueryFixtures.tlsrptQuery),
            over: .udp,
            content: TestZone.content
        )
        guard case .respond(let response) = outcome else {
            Issue.record("no response")
            return
        }
        let slipped = responder.truncated(response)
        let message = try DNSMessage(decoding: slipped.bytes)
        #expect(message.header.isTruncated)
        #expect(message.header.id == 0x1003)
        #expect(message.questions == response.message.questions)
        #expect(message.answers.isEmpty)
        #expect(message.additionals.map(\.type) == [.opt])
        #expect(slipped.queryType == .txt)
    }

    // MARK: - Every fixture, both transports

    @Test func everyResponseDecodesAndEchoesTheID() throws {
        #expect(QueryFixtures.all.count > 40)
        for (label, hex) in QueryFixtures.all {
            let query = [UInt8](hex: hex)
            for transport in DNSServerTransport.allCases {
                guard
                    case .respond(let response) = responder.respond(
                        to: query,
                        over: transport,
                        content: TestZone.content
                    )
                else { continue }
                let message = try DNSMessage(decoding: response.bytes)
                #expect(message.header.id == UInt16(query[0]) << 8 | UInt16(query[1]), "\(label)")
                #expect(message.header.isResponse, "\(label)")
                #expect(!message.header.isRecursionAvailable, "\(label)")
                #expect(response.bytes.count <= (transport == .udp ? 1232 : 65535), "\(label)")
            }
        }
    }

    // MARK: - Configuration

    @Test func unusableZonesAreRejected() throws {
        var zone = try TestZone.configuration()
        zone.nameServers = []
        #expect(throws: DNSServerError(.invalidConfiguration, "")) { try AuthoritativeResponder(zone: zone) }
        zone.nameServers = [try DNSName("ns1.sts.platform.example")]
        #expect(throws: DNSServerError(.invalidConfiguration, "")) { try AuthoritativeResponder(zone: zone) }
        zone = try TestZone.configuration(maximumUDPPayload: 511)
        #expect(throws: DNSServerError(.invalidConfiguration, "")) { try AuthoritativeResponder(zone: zone) }
        zone = try TestZone.configuration()
        zone.apex = .root
        #expect(throws: DNSServerError(.invalidConfiguration, "")) { try AuthoritativeResponder(zone: zone) }
    }

    @Test func hostmasterDefaultsToTheApex() throws {
        let zone = try TestZone.configuration()
        #expect(zone.hostmaster.description == "hostmaster.sts.platform.example")
        let custom = AuthoritativeZoneConfiguration(
            apex: try DNSName("x.example"),
            nameServers: [try DNSName("ns.example")],
            hostmaster: try DNSName("dns.example")
        )
        #expect(custom.hostmaster.description == "dns.example")
        #expect(custom.recordTTL == 60 && custom.negativeTTL == 60 && custom.maximumUDPPayload == 1232)
    }

    @Test func wireNamesForTheNewCodes() {
        #expect(DNSRecordType(mnemonic: "axfr") == .axfr)
        #expect(DNSRecordType.ixfr.description == "IXFR")
        #expect(DNSRecordType.any.description == "ANY")
        #expect(DNSClass.any.description == "ANY")
        #expect(DNSResponseCode.badVersion.description == "BADVERS")
    }
}
