import Crypto
import Testing

@testable import ACME

@Suite struct JSONWebKeyTests {
    @Test func rfc7638Section3_1RSAThumbprint() throws {
        let jwk = JSONWebKey(
            kty: "RSA",
            n:
                "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            e: "AQAB"
        )
        #expect(try jwk.canonicalJSON().hasPrefix(#"{"e":"AQAB","kty":"RSA","n":"0vx7"#))
        #expect(try jwk.thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test func ecThumbprintOfRFC7515KeyMatchesCrypto() throws {
        let jwk = JWSTests.rfcJWK
        #expect(
            try jwk.canonicalJSON()
                == #"{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#
        )
        // Independently computed with Python hashlib in Tests/CryptoTests/Fixtures/generate_rfc7515_a3.py.
        #expect(try jwk.thumbprint() == "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U")
        #expect(try jwk.p256PublicKey().jwkThumbprint == "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U")
    }

    @Test func generatedKeyAgreesWithCryptoJWK() throws {
        let key = try P256PrivateKey.generate()
        let jwk = JSONWebKey(publicKey: key.publicKey)
        #expect(try jwk.canonicalJSON() == key.jwk)
        #expect(try jwk.thumbprint() == key.jwkThumbprint)
    }

    @Test func rejectsIncompleteOrUnknownKeys() {
        #expect(throws: ACMEError(.invalidRequest, "")) { try JSONWebKey(kty: "EC", crv: "P-256", x: "a").thumbprint() }
        #expect(throws: ACMEError(.invalidRequest, "")) { try JSONWebKey(kty: "OKP", x: "a").thumbprint() }
        #expect(throws: ACMEError(.invalidRequest, "")) {
            try JSONWebKey(kty: "RSA", n: "a\"b", e: "AQAB").thumbprint()
        }
        #expect(throws: ACMEError(.invalidRequest, "")) {
            try JSONWebKey(kty: "RSA", n: "x", e: "AQAB").p256PublicKey()
        }
    }
}
