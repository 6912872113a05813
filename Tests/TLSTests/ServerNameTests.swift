import Testing

@testable import TLS

@Suite struct ServerNameTests {
    @Test(arguments: [
        ("mta-sts.a.test", "mta-sts.a.test", true), ("MTA-STS.A.Test", "mta-sts.a.test", true),
        ("mta-sts.b.test", "mta-sts.b.test", false),
    ])
    func knownNameGetsItsOwnCertificate(sni: String, host: String, isECDSA: Bool) throws {
        let fixture = try Fixture()
        var pair = try fixture.pair(serverName: sni)
        let result = pair.handshake()
        #expect(result.client.isComplete, "\(result.client.error?.description ?? "")")
        #expect(result.server.isComplete)
        let peer = try #require(pair.client.peerCertificate)
        #expect(peer.subject == "/CN=\(host)")
        #expect(peer.matches(hostname: host))
        #expect(peer.publicKeyAlgorithm == (isECDSA ? .ecdsa : .rsa))
        #expect(pair.client.verificationResult == 0)
        #expect(pair.server.serverName == sni)
        #expect(pair.server.selectedContext === (isECDSA ? fixture.hostA : fixture.hostB))
        #expect(pair.client.negotiatedProtocolVersion == "TLSv1.3")
    }

    @Test(arguments: ["mta-sts.c.test", "a.test", "mta-sts.a.test.evil"])
    func unknownNameIsRejectedWithUnrecognizedName(sni: String) throws {
        let fixture = try Fixture()
        var pair = try fixture.pair(serverName: sni)
        let result = pair.handshake()
        let clientError = try #require(result.client.error)
        #expect(clientError == .handshakeFailed)
        #expect(clientError.receivedAlert == TLSAlert.unrecognizedName)
        #expect(clientError.description.contains("unrecognized name"))
        #expect(result.server.error == .handshakeFailed)
        #expect(pair.client.peerCertificate == nil)
    }

    @Test func missingServerNameIsRejected() throws {
        let fixture = try Fixture()
        var pair = try fixture.pair(serverName: nil)
        let result = pair.handshake()
        #expect(result.client.error?.receivedAlert == TLSAlert.unrecognizedName)
        #expect(result.server.error != nil)
        #expect(pair.client.peerCertificate == nil)
    }

    @Test func defaultContextWithoutResolverRejectsEverything() throws {
        let fixture = try Fixture()
        let bare = try TLSContext.makeServer()
        var pair = try fixture.pair(serverName: "mta-sts.a.test", server: bare)
        #expect(pair.handshake().client.error?.receivedAlert == TLSAlert.unrecognizedName)
    }

    @Test func singleCertificateContextServesItselfWithoutResolver() throws {
        let fixture = try Fixture()
        var pair = try fixture.pair(serverName: "mta-sts.a.test", server: fixture.hostA)
        #expect(pair.handshake().client.isComplete)
        #expect(pair.server.selectedContext == nil)
        #expect(pair.client.peerCertificate?.subject == "/CN=mta-sts.a.test")
    }

    @Test func clientRejectsCertificateForAnotherHost() throws {
        let fixture = try Fixture()
        // A misconfigured resolver hands out a's certificate for b: hostname verification must catch it.
        fixture.server.setServerNameResolver(ClosureServerNameResolver { _ in fixture.hostA })
        var pair = try fixture.pair(serverName: "mta-sts.b.test")
        let result = pair.handshake()
        #expect(result.client.error == .handshakeFailed)
        #expect(pair.client.verificationResult != 0)
        #expect(result.client.error?.description.contains("certificate verify failed") == true)
    }

    @Test func clientRejectsUntrustedRoot() throws {
        let pki = try TestPKI.load()
        let fixture = try Fixture(clientConfiguration: .client(trustRoots: .file(pki.otherRootFile)))
        var pair = try fixture.pair(serverName: "mta-sts.a.test")
        #expect(pair.handshake().client.error == .handshakeFailed)
        #expect(pair.client.verificationResult != 0)
    }
}
