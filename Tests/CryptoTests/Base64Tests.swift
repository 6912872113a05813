import Testing

@testable import Crypto

@Suite struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test func standardEncodingMatchesRFC4648Section10() {
        for (plain, encoded) in Self.vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test func base64URLIsUnpaddedRFC4648Section10() {
        for (plain, encoded) in Self.vectors {
            let unpadded = String(encoded.filter { $0 != "=" })
            #expect(Base64URL.encode(Array(plain.utf8)) == unpadded)
            #expect(Base64URL.decode(unpadded) == Array(plain.utf8))
        }
    }

    @Test func base64URLUsesURLSafeAlphabet() {
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64.encode([0xfb, 0xff, 0xbf]) == "+/+/")
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
    }

    @Test func base64URLRejectsPadding() {
        #expect(Base64URL.decode("Zg==") == nil)
        #expect(Base64URL.decode("Zm8=") == nil)
        #expect(Base64URL.decode("=") == nil)
    }

    @Test func base64URLRejectsForeignCharacters() {
        #expect(Base64URL.decode("Zm9v+") == nil)
        #expect(Base64URL.decode("Zm9/") == nil)
        #expect(Base64URL.decode("Zm 9v") == nil)
        #expect(Base64URL.decode("Zm9v\n") == nil)
        #expect(Base64URL.decode("Zm9vé") == nil)
    }

    @Test func rejectsImpossibleLengthsAndNonCanonicalBits() {
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zm9vY") == nil)
        // "Zh" has non-zero unused bits; only "Zg" encodes 0x66.
        #expect(Base64URL.decode("Zh") == nil)
        #expect(Base64.decode("Zh==") == nil)
    }

    @Test func standardDecodingPaddingRules() {
        #expect(Base64.decode("Zg") == Array("f".utf8))
        #expect(Base64.decode("Zg=") == nil)
        #expect(Base64.decode("Zg===") == nil)
        #expect(Base64.decode("Zm9v=") == nil)
        #expect(Base64.decode("Zg==Zg==") == nil)
        #expect(Base64.encode(Array("f".utf8), padding: false) == "Zg")
    }

    @Test func standardDecodingCanSkipWhitespaceForPEM() {
        #expect(Base64.decode("Zm9v\nYmFy\r\n", ignoringWhitespace: true) == Array("foobar".utf8))
        #expect(Base64.decode("Zm9v\nYmFy") == nil)
    }

    @Test func roundTripsAllByteValues() {
        let bytes = (0...255).map { UInt8($0) }
        for length in [0, 1, 2, 3, 254, 255, 256] {
            let slice = Array(bytes.prefix(length))
            #expect(Base64URL.decode(Base64URL.encode(slice)) == slice)
            #expect(Base64.decode(Base64.encode(slice)) == slice)
        }
    }

    @Test func hexRoundTripAndRejection() {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
        #expect(Hex.decode("00ABff") == [0x00, 0xab, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
