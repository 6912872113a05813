import Testing

@testable import TLS

@Suite struct SessionTicketTests {
    /// Full handshake that returns the client's session after the ticket arrived.
    private func firstSession(_ fixture: Fixture) throws -> TLSSession {
        var pair = try fixture.pair(serverName: "mta-sts.a.test")
        #expect(pair.handshake().client.isComplete)
        #expect(!pair.client.isSessionReused)
        pair.deliverTickets()
        let session = try #require(pair.client.session)
        // Without close_notify, SSL_free marks the session unusable (truncation protection).
        #expect(pair.client.shutdown().isComplete)
        #expect(session.isResumable)
        return session
    }

    private func resumes(_ fixture: Fixture, with session: TLSSession) throws -> Bool {
        var pair = try fixture.pair(serverName: "mta-sts.a.test")
        try pair.client.setSession(session)
        let result = pair.handshake()
        #expect(result.client.isComplete)
        #expect(result.server.isComplete)
        #expect(pair.client.peerCertificate?.subject == "/CN=mta-sts.a.test")
        return pair.client.isSessionReused && pair.server.isSessionReused
    }

    @Test func ticketResumesSession() throws {
        let fixture = try Fixture()
        let session = try firstSession(fixture)
        #expect(try resumes(fixture, with: session))
    }

    /// RFC 8446 §C.4: clients should not reuse a ticket, and OpenSSL's client does not. Each resumption must
    /// therefore bring a fresh ticket, or every second connection of such a client is a full handshake.
    @Test(arguments: [TLSVersion.tls12, .tls13])
    func aResumedConnectionGetsAFreshTicketSoTheNextOneResumesToo(version: TLSVersion) throws {
        var configuration = TLSConfiguration.client(trustRoots: .file(try TestPKI.load().rootFile))
        configuration.maximumVersion = version
        let fixture = try Fixture(clientConfiguration: configuration)
        var offered = try firstSession(fixture)
        for _ in 0..<3 {
            var pair = try fixture.pair(serverName: "mta-sts.a.test")
            try pair.client.setSession(offered)
            #expect(pair.handshake().client.isComplete)
            #expect(pair.client.isSessionReused)
            pair.deliverTickets()
            let received = try #require(pair.client.session)
            #expect(pair.client.shutdown().isComplete)
            // OpenSSL's client replaces its session when a ticket arrives; without one it keeps the one offered.
            #expect(received.session != offered.session, "no new ticket after a resumed handshake")
            #expect(received.isResumable)
            offered = received
        }
    }

    @Test func previousKeyStillAcceptedAfterOneRotation() throws {
        let fixture = try Fixture()
        let session = try firstSession(fixture)
        try fixture.server.rotateTicketKeys()
        #expect(try resumes(fixture, with: session))
    }

    @Test func ticketRejectedAfterTwoRotations() throws {
        let fixture = try Fixture()
        let session = try firstSession(fixture)
        try fixture.server.rotateTicketKeys()
        try fixture.server.rotateTicketKeys()
        #expect(try !resumes(fixture, with: session))
    }

    @Test func sessionOfUncleanlyClosedConnectionIsNotResumable() throws {
        let fixture = try Fixture()
        var session: TLSSession?
        do {
            var pair = try fixture.pair(serverName: "mta-sts.a.test")
            #expect(pair.handshake().client.isComplete)
            pair.deliverTickets()
            session = pair.client.session
        }
        #expect(session?.isResumable == false)
    }

    @Test func ticketFromAnotherServerIsNotAccepted() throws {
        let issuing = try Fixture()
        let session = try firstSession(issuing)
        let other = try Fixture()
        #expect(try !resumes(other, with: session))
    }

    @Test func tls12TicketResumption() throws {
        var configuration = TLSConfiguration.client(trustRoots: .file(try TestPKI.load().rootFile))
        configuration.maximumVersion = .tls12
        let fixture = try Fixture(clientConfiguration: configuration)
        var pair = try fixture.pair(serverName: "mta-sts.a.test")
        #expect(pair.handshake().client.isComplete)
        let session = try #require(pair.client.session)
        try fixture.server.rotateTicketKeys()
        #expect(try resumes(fixture, with: session))
    }

    @Test(arguments: [TLSVersion.tls12, .tls13])
    func serverWithoutTicketsIssuesNone(version: TLSVersion) throws {
        var configuration = TLSConfiguration.server
        configuration.issuesSessionTickets = false
        var clientConfiguration = TLSConfiguration.client(trustRoots: .file(try TestPKI.load().rootFile))
        clientConfiguration.maximumVersion = version
        let fixture = try Fixture(clientConfiguration: clientConfiguration)
        let server = try TLSContext.makeServer(certificate: fixture.pki.pairA, configuration: configuration)
        #expect(server.ticketKeys == nil)
        var pair = try fixture.pair(serverName: "mta-sts.a.test", server: server)
        #expect(pair.handshake().client.isComplete)
        pair.deliverTickets()
        let session = try #require(pair.client.session)
        _ = pair.client.shutdown()
        var second = try fixture.pair(serverName: "mta-sts.a.test", server: server)
        try? second.client.setSession(session)
        #expect(second.handshake().client.isComplete)
        #expect(!second.client.isSessionReused)
    }
}
