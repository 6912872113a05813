import Testing

@testable import WebClient

@Suite struct ClientURLTests {
    @Test func httpsWithPortPathAndQuery() throws {
        let url = try ClientURL("HTTPS://Pebble.Example:14000/dir?a=1&b=2#fragment")
        #expect(url.scheme == .https)
        #expect(url.host == "pebble.example")
        #expect(url.port == 14000)
        #expect(url.path == "/dir")
        #expect(url.query == "a=1&b=2")
        #expect(url.requestTarget == "/dir?a=1&b=2")
        #expect(url.hostHeader == "pebble.example:14000")
        #expect(url.origin == "https://pebble.example:14000")
        #expect(!url.isIPLiteral)
    }

    @Test func defaultsAndEmptyPath() throws {
        let https = try ClientURL("https://mta-sts.example.test")
        #expect(https.port == 443)
        #expect(https.requestTarget == "/")
        #expect(https.hostHeader == "mta-sts.example.test")
        let http = try ClientURL("http://example.test?x")
        #expect(http.port == 80)
        #expect(http.requestTarget == "/?x")
    }

    @Test func ipLiterals() throws {
        let v4 = try ClientURL("http://127.0.0.1:8080/")
        #expect(v4.isIPLiteral)
        #expect(v4.host == "127.0.0.1")
        let v6 = try ClientURL("https://[::1]:8443/x")
        #expect(v6.isIPLiteral)
        #expect(v6.host == "::1")
        #expect(v6.hostHeader == "[::1]:8443")
        let v6Default = try ClientURL("https://[2001:DB8::1]/")
        #expect(v6Default.host == "2001:db8::1")
        #expect(v6Default.hostHeader == "[2001:db8::1]")
        // Four numeric labels over 255 are not an IPv4 literal (and would then be looked up as a name).
        #expect(try !ClientURL("http://1.2.3.456/").isIPLiteral)
    }

    @Test(arguments: [
        "ftp://example.test/", "example.test/path", "https://", "https://:443/", "https://user@example.test/",
        "https://example.test:0/", "https://example.test:65536/", "https://example.test:12a/",
        "https://example.test:/", "https://[::1/", "https://[example]/", "https://[::1]x/",
        "https://exa mple.test/", "https://example.test/a b", "https://example.test/\u{e9}",
        "https://ex%41mple.test/", "https://example.test/\r\nX: y",
    ])
    func rejected(_ text: String) {
        #expect(throws: HTTPClientError(.invalidURL, "")) { try ClientURL(text) }
    }
}
