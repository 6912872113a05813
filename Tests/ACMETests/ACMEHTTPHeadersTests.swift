import Testing

@testable import ACME

@Suite struct ACMEHTTPHeadersTests {
    @Test func lookupIsCaseInsensitiveAndKeepsDuplicates() {
        var headers: ACMEHTTPHeaders = ["Replay-Nonce": "abc", "Link": "<https://a>;rel=\"up\""]
        headers.append("link", "<https://b>;rel=\"alternate\"")
        #expect(headers["replay-nonce"] == "abc")
        #expect(headers["REPLAY-NONCE"] == "abc")
        #expect(headers.values(for: "LINK") == ["<https://a>;rel=\"up\"", "<https://b>;rel=\"alternate\""])
        #expect(headers["Location"] == nil)
        headers.replace("LINK", with: "x")
        #expect(headers.values(for: "link") == ["x"])
        #expect(headers.map(\.name) == ["Replay-Nonce", "LINK"])
    }

    @Test func responseMediaType() {
        var response = ACMEHTTPResponse(status: 400)
        response.headers.append("content-type", "Application/Problem+JSON; charset=utf-8")
        #expect(response.mediaType == "application/problem+json")
        #expect(!response.isSuccess)
        #expect(ACMEHTTPResponse(status: 204).isSuccess)
    }
}
