import Crypto
import Foundation
import Testing

@testable import ACME

@Suite struct ExternalAccountBindingTests {
    static let macKeyText = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"

    @Test func innerJWSHasRFC8555Section7_3_4Structure() throws {
        let binding = try ExternalAccountBinding(keyID: "kid-1", macKeyBase64URL: Self.macKeyText)
        let accountKey = try P256PrivateKey.generate()
        let jws = try binding.jws(accountKey: accountKey.publicKey, newAccountURL: "https://ca.test/new-acct")

        let headerBytes = try #require(Base64URL.decode(jws.protected))
        let header = try #require(try JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: String])
        #expect(header == ["alg": "HS256", "kid": "kid-1", "url": "https://ca.test/new-acct"])  // no nonce, no jwk

        let payload = try #require(jws.decodedPayload)
        #expect(String(decoding: payload, as: UTF8.self) == accountKey.jwk)

        let macKey = try #require(Base64URL.decode(Self.macKeyText))
        let expected = try HMAC.sha256(key: macKey, data: Array((jws.protected + "." + jws.payload).utf8))
        #expect(Base64URL.decode(jws.signature) == expected)
        #expect(jws.isValidMAC(macKey: macKey))
        #expect(!jws.isValidMAC(macKey: Array(macKey.dropLast())))
    }

    @Test func keyParsing() throws {
        #expect(
            try ExternalAccountBinding(keyID: "k", macKeyBase64URL: "AQID==")
                == ExternalAccountBinding(keyID: "k", macKey: [1, 2, 3])
        )
        #expect(throws: ACMEError(.invalidConfiguration, "")) {
            try ExternalAccountBinding(keyID: "k", macKeyBase64URL: "not base64!")
        }
        #expect(throws: ACMEError(.invalidConfiguration, "")) { try ExternalAccountBinding(keyID: "", macKey: [1]) }
        #expect(throws: ACMEError(.invalidConfiguration, "")) { try ExternalAccountBinding(keyID: "k", macKey: []) }
    }

    @Test func descriptionNeverShowsTheKey() throws {
        let binding = try ExternalAccountBinding(keyID: "kid-1", macKeyBase64URL: Self.macKeyText)
        #expect(binding.description == "ExternalAccountBinding(keyID: kid-1)")
        #expect(!String(reflecting: binding).contains(Self.macKeyText))
    }
}
