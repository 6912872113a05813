import Testing

@testable import TLS

@Suite struct ProtocolPolicyTests {
    private func clientConfiguration(_ change: (inout TLSConfiguration) -> Void) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.client(trustRoots: .file(try TestPKI.load().rootFile))
        change(&configuration)
        return configuration
    }

    @Test func tls11OnlyClientIsRefused() throws {
        let configuration = try clientConfiguration {
            $0.minimumVersion = .tls11
            $0.maximumVersion = .tls11
            $0.cipherList = "DEFAULT:@SECLEVEL=0"  // OpenSSL 3 refuses to even offer TLS 1.1 above level 0.
        }
        let fixture = try Fixture(clientConfiguration: configuration)
        var pair = try fixture.pair(serverName: "mta-sts.a.test")
        let result = pair.handshake()
        #expect(result.server.error == .handshakeFailed)
        #expect(result.server.error?.description.contains("unsupported protocol") == true)
        #expect(result.client.error?.receivedAlert == TLSAlert.protocolVersion)
    }

    @Test(arguments: [
        ("mta-sts.a.test", "ECDHE-ECDSA-AES128-GCM-SHA256"), ("mta-sts.b.test", "ECDHE-RSA-AES128-GCM-SHA256"),
    ])
    func tls12ClientGetsAnECDHEAEADSuite(host: String, cipher: String) throws {
        let fixture = try Fixture(clientConfiguration: try clientConfiguration { $0.maximumVersion = .tls12 })
        var pair = try fixture.pair(serverName: host)
        #expect(pair.handshake().client.isComplete)
        #expect(pair.client.negotiatedProtocolVersion == "TLSv1.2")
        #expect(pair.server.negotiatedCipher == cipher)
        #expect(pair.client.peerCertificate?.matches(hostname: host) == true)
    }

    @Test(arguments: ["AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384"])
    func tls12NonAEADOrStaticRSASuitesAreRefused(cipher: String) throws {
        let fixture = try Fixture(
            clientConfiguration: try clientConfiguration {
                $0.maximumVersion = .tls12
                $0.cipherList = cipher
            }
        )
        var pair = try fixture.pair(serverName: "mta-sts.b.test")
        let result = pair.handshake()
        #expect(result.server.error?.description.contains("no shared cipher") == true)
        #expect(result.client.error?.receivedAlert == TLSAlert.handshakeFailure)
    }

    @Test(
        arguments: [(["h2", "http/1.1"], "http/1.1"), (["http/1.1"], "http/1.1"), (["h2"], nil), ([], nil)]
            as [([String], String?)]
    )
    func alpnSelectsHTTP11(offered: [String], expected: String?) throws {
        let fixture = try Fixture(clientConfiguration: try clientConfiguration { $0.alpnProtocols = offered })
        var pair = try fixture.pair(serverName: "mta-sts.a.test")
        #expect(pair.handshake().client.isComplete)
        #expect(pair.client.alpn == expected)
        #expect(pair.server.alpn == expected)
    }

    @Test func tls13UsesConfiguredGroupAndSuite() throws {
        let fixture = try Fixture()
        var pair = try fixture.pair(serverName: "mta-sts.b.test")
        #expect(pair.handshake().server.isComplete)
        #expect(pair.server.negotiatedProtocolVersion == "TLSv1.3")
        #expect(pair.server.negotiatedCipher == "TLS_AES_128_GCM_SHA256")
    }
}
