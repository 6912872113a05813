import Testing

@testable import ACME

@Suite struct ACMEDirectoryTests {
    @Test func decodesPebbleDirectory() throws {
        let directory = try ACMEDirectory(json: try Fixtures.bytes("pebble-directory.json"))
        #expect(directory.newNonce == "https://127.0.0.1:14000/nonce-plz")
        #expect(directory.newAccount == "https://127.0.0.1:14000/sign-me-up")
        #expect(directory.newOrder == "https://127.0.0.1:14000/order-plz")
        #expect(directory.revokeCert == "https://127.0.0.1:14000/revoke-cert")
        #expect(directory.keyChange == "https://127.0.0.1:14000/rollover-account-key")
        #expect(directory.renewalInfo == nil)
        #expect(directory.meta?.termsOfService == "data:text/plain,Do%20what%20thou%20wilt")
        #expect(!directory.requiresExternalAccountBinding)
        #expect(directory.renewalInfoURL(for: "a.b") == nil)
    }

    @Test func decodesLetsEncryptDirectoryIgnoringUnknownEntries() throws {
        let directory = try ACMEDirectory(json: try Fixtures.bytes("letsencrypt-directory.json"))
        #expect(directory.meta?.caaIdentities == ["letsencrypt.org"])
        #expect(directory.meta?.profiles?["shortlived"] != nil)
        #expect(
            directory.renewalInfoURL(for: "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")
                == "https://acme-staging-v02.api.letsencrypt.org/draft-ietf-acme-ari-03/renewalInfo/aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"
        )
        var slashed = directory
        slashed.renewalInfo = "https://ca.test/ari/"
        #expect(slashed.renewalInfoURL(for: "x.y") == "https://ca.test/ari/x.y")
    }

    @Test func externalAccountRequiredFlag() throws {
        let directory = try ACMEDirectory(json: Array(Pebble.directory(externalAccountRequired: true).utf8))
        #expect(directory.requiresExternalAccountBinding)
    }

    @Test func missingRequiredURLIsInvalidResponse() {
        let json =
            #"{"newAccount":"https://a/acct","newOrder":"https://a/order","revokeCert":"https://a/r","keyChange":"https://a/k"}"#
        #expect(throws: ACMEError(.invalidResponse, "")) { try ACMEDirectory(json: Array(json.utf8)) }
        #expect(throws: ACMEError(.invalidResponse, "")) { try ACMEDirectory(json: Array("<html>".utf8)) }
    }
}
