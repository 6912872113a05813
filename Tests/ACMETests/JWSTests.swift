import Crypto
import Foundation
import Testing

@testable import ACME

@Suite struct JWSTests {
    // RFC 7515 Appendix A.3: ES256 example (JWK and compact serialization parts).
    static let rfcJWK = JSONWebKey(
        kty: "EC",
        crv: "P-256",
        x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
    )
    static let rfcJWS = JWS(
        protected: "eyJhbGciOiJFUzI1NiJ9",
        payload: "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ",
        signature: "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
    )

    @Test func verifiesRFC7515AppendixA3Example() throws {
        let publicKey = try Self.rfcJWK.p256PublicKey()
        #expect(Self.rfcJWS.isValidSignature(publicKey: publicKey))
        let payload = try #require(Self.rfcJWS.decodedPayload)
        #expect(
            String(decoding: payload, as: UTF8.self)
                == "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
        )
        var tampered = Self.rfcJWS
        tampered.payload = Base64URL.encode(Array("{\"iss\":\"eve\"}".utf8))
        #expect(!tampered.isValidSignature(publicKey: publicKey))
        var padded = Self.rfcJWS
        padded.signature += "=="
        #expect(!padded.isValidSignature(publicKey: publicKey))
    }

    @Test func signedJWSVerifiesAndHasRawSignature() throws {
        let key = try P256PrivateKey.generate()
        let header = JWSProtectedHeader(
            algorithm: .es256,
            key: .accountURL("https://ca.test/acct/1"),
            nonce: "n1",
            url: "https://ca.test/order"
        )
        let jws = try JWS.sign(header: header, payload: Array(#"{"a":1}"#.utf8), key: key)
        #expect(Base64URL.decode(jws.signature)?.count == 64)
        #expect(jws.isValidSignature(publicKey: key.publicKey))
        #expect(!jws.isValidSignature(publicKey: try P256PrivateKey.generate().publicKey))
        #expect(try jws.decodedHeader() == header)
        #expect(!jws.protected.contains("=") && !jws.payload.contains("=") && !jws.signature.contains("="))
    }

    @Test func flattenedSerializationHasExactlyThreeMembers() throws {
        let key = try P256PrivateKey.generate()
        let header = JWSProtectedHeader(
            algorithm: .es256,
            key: .accountURL("https://ca.test/a"),
            nonce: "n",
            url: "https://ca.test/x"
        )
        let body = try JWS.sign(header: header, payload: [], key: key).serialized()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: String])
        #expect(Set(object.keys) == ["protected", "payload", "signature"])
        // POST-as-GET (RFC 8555 §6.3): the payload is the empty string.
        #expect(object["payload"] == "")
    }

    @Test func headerCarriesJWKOrKidNeverBoth() throws {
        let key = try P256PrivateKey.generate()
        let jwkHeader = JWSProtectedHeader(
            algorithm: .es256,
            key: .jwk(JSONWebKey(publicKey: key.publicKey)),
            nonce: "n1",
            url: "https://ca.test/new-acct"
        )
        let jwkJSON = String(decoding: try ACMEJSON.encode(jwkHeader), as: UTF8.self)
        #expect(jwkJSON.contains(#""jwk":{"crv":"P-256","kty":"EC","x":"#))
        #expect(!jwkJSON.contains("kid"))
        #expect(jwkJSON.contains(#""alg":"ES256""#) && jwkJSON.contains(#""nonce":"n1""#))
        #expect(jwkJSON.contains(#""url":"https://ca.test/new-acct""#))

        let kidHeader = JWSProtectedHeader(
            algorithm: .es256,
            key: .accountURL("https://ca.test/acct/7"),
            nonce: "n2",
            url: "https://ca.test/o"
        )
        let kidJSON = String(decoding: try ACMEJSON.encode(kidHeader), as: UTF8.self)
        #expect(kidJSON == #"{"alg":"ES256","kid":"https://ca.test/acct/7","nonce":"n2","url":"https://ca.test/o"}"#)

        let both =
            #"{"alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"a","y":"b"},"kid":"https://ca.test/a","nonce":"n","url":"https://ca.test/x"}"#
        #expect(throws: ACMEError(.invalidResponse, "")) {
            try ACMEJSON.decode(JWSProtectedHeader.self, from: Array(both.utf8), what: "header")
        }
        let neither = #"{"alg":"ES256","nonce":"n","url":"https://ca.test/x"}"#
        #expect(throws: ACMEError(.invalidResponse, "")) {
            try ACMEJSON.decode(JWSProtectedHeader.self, from: Array(neither.utf8), what: "header")
        }
    }

    @Test func refusesWrongAlgorithmForEachSigner() throws {
        let key = try P256PrivateKey.generate()
        let hs = JWSProtectedHeader(algorithm: .hs256, key: .keyID("k"), nonce: nil, url: "https://ca.test/x")
        #expect(throws: ACMEError(.invalidRequest, "")) { try JWS.sign(header: hs, payload: [], key: key) }
        let es = JWSProtectedHeader(algorithm: .es256, key: .keyID("k"), nonce: nil, url: "https://ca.test/x")
        #expect(throws: ACMEError(.invalidRequest, "")) { try JWS.authenticate(header: es, payload: [], macKey: [1]) }
    }

    @Test func urlsAreNotEscaped() throws {
        let header = JWSProtectedHeader(
            algorithm: .es256,
            key: .accountURL("https://ca.test/a/b"),
            nonce: "n",
            url: "https://ca.test/x/y"
        )
        let json = String(decoding: try ACMEJSON.encode(header), as: UTF8.self)
        #expect(!json.contains("\\/"))
    }
}
