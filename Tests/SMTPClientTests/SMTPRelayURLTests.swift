import Testing

@testable import SMTPClient

/// `MTASTS_SMTP_URL`.
@Suite struct SMTPRelayURLTests {
    @Test func hostPortAndScheme() throws {
        let relay = try SMTPRelayURL("smtp://relay.example.net:587")
        #expect(relay.scheme == .smtp)
        #expect(relay.host == "relay.example.net")
        #expect(relay.port == 587)
        #expect(relay.credentials == nil)
        #expect(!relay.isIPLiteral)
        #expect("\(relay)" == "smtp://relay.example.net:587")
    }

    @Test func defaultPortsFollowTheScheme() throws {
        #expect(try SMTPRelayURL("smtp://relay.example.net").port == 587)
        #expect(try SMTPRelayURL("SMTPS://Relay.Example.NET/").port == 465)
        #expect(try SMTPRelayURL("SMTPS://Relay.Example.NET/").host == "relay.example.net")
    }

    @Test func credentialsArePercentDecoded() throws {
        let relay = try SMTPRelayURL("smtp://alerts%40example.net:p%40ss%3Aw%2Frd%25@relay.example.net:2525")
        #expect(relay.credentials == SMTPCredentials(userName: "alerts@example.net", password: "p@ss:w/rd%"))
        #expect(relay.port == 2525)
        let unicode = try SMTPRelayURL("smtp://j%C3%BCrgen:%E2%82%AC@relay.example.net")
        #expect(unicode.credentials == SMTPCredentials(userName: "j\u{FC}rgen", password: "\u{20AC}"))
    }

    @Test func anUnencodedAtInThePasswordIsTolerated() throws {
        let relay = try SMTPRelayURL("smtp://user:p@ss@relay.example.net")
        #expect(relay.credentials == SMTPCredentials(userName: "user", password: "p@ss"))
        #expect(relay.host == "relay.example.net")
    }

    @Test func userWithoutPasswordHasAnEmptyPassword() throws {
        #expect(try SMTPRelayURL("smtp://user@relay.example.net").credentials?.password == "")
    }

    @Test func theDescriptionNeverShowsThePassword() throws {
        let relay = try SMTPRelayURL("smtp://alerts%40example.net:hunter2@relay.example.net")
        #expect("\(relay)" == "smtp://alerts%40example.net:***@relay.example.net:587")
        #expect(!"\(String(describing: relay.credentials))".contains("hunter2"))
        #expect(!"\(String(reflecting: relay.credentials))".contains("hunter2"))
    }

    @Test func ipLiterals() throws {
        let v4 = try SMTPRelayURL("smtp://127.0.0.1:2525")
        #expect(v4.isIPLiteral && v4.host == "127.0.0.1")
        let v6 = try SMTPRelayURL("smtps://[::1]:4650")
        #expect(v6.isIPLiteral && v6.host == "::1" && v6.port == 4650)
        #expect("\(v6)" == "smtps://[::1]:4650")
    }

    @Test(arguments: [
        "relay.example.net:587", "http://relay.example.net", "smtp+insecure://relay.example.net",
        "smtp://relay.example.net:0", "smtp://relay.example.net:65536", "smtp://relay.example.net:x",
        "smtp://relay.example.net:", "smtp://relay.example.net/path", "smtp://relay.example.net?x=1",
        "smtp://relay.example.net#f", "smtp://:secret@relay.example.net", "smtp://u%G1@relay.example.net",
        "smtp://u%+f@relay.example.net", "smtp://u%4@relay.example.net", "smtp://u%FF@relay.example.net",
        "smtp://", "smtp://-relay.example.net", "smtp://relay_1.example.net", "smtp://[::1", "smtp://[relay]",
        "smtp://relay example.net",
    ])
    func malformedURLsAreRefused(_ text: String) {
        #expect(throws: SMTPClientError(.invalidURL, "")) { try SMTPRelayURL(text) }
    }

    @Test func refusalsNeverEchoThePassword() {
        do {
            _ = try SMTPRelayURL("smtp://user:hunter2@relay.example.net/path")
            Issue.record("a path was accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(!error.debugDescription.contains("hunter2"))
        }
    }
}
