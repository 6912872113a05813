import Foundation
import Testing

@testable import Crypto

@Suite struct P256KeyTests {
    static let rfcX = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
    static let rfcY = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
    static let rfcSigningInput =
        "eyJhbGciOiJFUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    static let rfcSignature = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"

    /// The RFC 7515 Appendix A.3 key, written to PEM by Fixtures/generate_rfc7515_a3.py.
    static func rfcKey() throws -> P256PrivateKey {
        try P256PrivateKey(pem: TestSupport.fixtureText("rfc7515-a3-es256.pem"))
    }

    @Test func importedRFC7515KeyHasRFCCoordinates() throws {
        let key = try Self.rfcKey()
        #expect(Base64URL.encode(key.publicKey.x) == Self.rfcX)
        #expect(Base64URL.encode(key.publicKey.y) == Self.rfcY)
        #expect(key.jwk == #"{"crv":"P-256","kty":"EC","x":"\#(Self.rfcX)","y":"\#(Self.rfcY)"}"#)
    }

    @Test func thumbprintMatchesIndependentPythonComputation() throws {
        let expected = try TestSupport.fixtureText("rfc7515-a3-es256.thumbprint")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Self.rfcKey().jwkThumbprint == expected)
        #expect(expected == "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U")
    }

    @Test func verifiesRFC7515AppendixA3Signature() throws {
        let key = try Self.rfcKey()
        let signature = try #require(Base64URL.decode(Self.rfcSignature))
        #expect(signature.count == 64)
        #expect(key.verifyRaw(signature: signature, data: Array(Self.rfcSigningInput.utf8)))
        #expect(!key.verifyRaw(signature: signature, data: Array((Self.rfcSigningInput + "x").utf8)))
        var flipped = signature
        flipped[10] ^= 1
        #expect(!key.verifyRaw(signature: flipped, data: Array(Self.rfcSigningInput.utf8)))
        #expect(!key.verifyRaw(signature: Array(signature.prefix(63)), data: Array(Self.rfcSigningInput.utf8)))
    }

    @Test func publicKeyFromJWKCoordinatesVerifies() throws {
        let x = try #require(Base64URL.decode(Self.rfcX))
        let y = try #require(Base64URL.decode(Self.rfcY))
        let publicKey = try P256PublicKey(x: x, y: y)
        let signature = try #require(Base64URL.decode(Self.rfcSignature))
        #expect(publicKey.isValidSignature(signature, for: Array(Self.rfcSigningInput.utf8)))
        #expect(publicKey.jwkThumbprint == "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U")
    }

    @Test func rejectsPointOffTheCurve() throws {
        var y = try #require(Base64URL.decode(Self.rfcY))
        y[31] ^= 1
        let x = try #require(Base64URL.decode(Self.rfcX))
        #expect(throws: CryptoError(.invalidKey, "")) { try P256PublicKey(x: x, y: y) }
        #expect(throws: CryptoError(.invalidKey, "")) { try P256PublicKey(x: Array(x.prefix(31)), y: y) }
    }

    @Test func signAndVerifyRawSignatures() throws {
        let key = try P256PrivateKey.generate()
        let data = Array("protected.payload".utf8)
        for _ in 0..<20 {
            let signature = try key.signatureRaw(for: data)
            #expect(signature.count == 64)
            #expect(key.verifyRaw(signature: signature, data: data))
        }
        #expect(key.verifyRaw(signature: try key.signatureRaw(for: []), data: []))
        let other = try P256PrivateKey.generate()
        #expect(!other.verifyRaw(signature: try key.signatureRaw(for: data), data: data))
    }

    @Test func pemAndDERRoundTrip() throws {
        let key = try P256PrivateKey.generate()
        let pem = try key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let fromPEM = try P256PrivateKey(pem: pem)
        let fromDER = try P256PrivateKey(der: try key.derRepresentation)
        #expect(fromPEM.jwkThumbprint == key.jwkThumbprint)
        #expect(fromDER.jwkThumbprint == key.jwkThumbprint)
        #expect(try fromDER.derRepresentation == key.derRepresentation)
        let signature = try fromPEM.signatureRaw(for: [1, 2, 3])
        #expect(key.verifyRaw(signature: signature, data: [1, 2, 3]))
    }

    @Test func fixturePEMRoundTripsByteForByte() throws {
        let pem = try TestSupport.fixtureText("rfc7515-a3-es256.pem")
        #expect(try P256PrivateKey(pem: pem).pemRepresentation == pem)
    }

    @Test func rejectsGarbageAndOtherCurves() throws {
        #expect(throws: CryptoError(.decodingFailed, "")) { try P256PrivateKey(pem: "not a key") }
        #expect(throws: CryptoError(.decodingFailed, "")) { try P256PrivateKey(der: [0x30, 0x00]) }
        // A P-384 key generated with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384`.
        let p384 = try TestSupport.fixtureText("p384-key.pem")
        #expect(throws: CryptoError(.invalidKey, "")) { try P256PrivateKey(pem: p384) }
    }

    @Test func subjectPublicKeyInfoDER() throws {
        let key = try Self.rfcKey()
        let der = try key.publicKey.derRepresentation
        #expect(der.count == 91)
        #expect(Array(der.suffix(64)) == key.publicKey.x + key.publicKey.y)
    }
}
