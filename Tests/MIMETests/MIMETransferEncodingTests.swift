import MIME
import Testing

/// The base64 and quoted-printable decoders (RFC 2045 §6.7, §6.8) through `MIMETransferEncoding.decode`.
@Suite struct MIMETransferEncodingTests {
    private func base64(_ text: String, limit: Int = 1 << 20) throws(MIMEError) -> [UInt8] {
        try MIMETransferEncoding.base64.decode(Array(text.utf8)[...], limit: limit)
    }

    private func quotedPrintable(_ text: String) throws(MIMEError) -> String {
        String(
            decoding: try MIMETransferEncoding.quotedPrintable.decode(Array(text.utf8)[...], limit: 1 << 20),
            as: UTF8.self
        )
    }

    @Test func base64RFC4648Vectors() throws {
        let vectors = [
            "": "", "Zg==": "f", "Zm8=": "fo", "Zm9v": "foo", "Zm9vYg==": "foob", "Zm9vYmE=": "fooba",
            "Zm9vYmFy": "foobar",
        ]
        for (encoded, decoded) in vectors {
            #expect(try base64(encoded) == Array(decoded.utf8), "\(encoded)")
        }
        #expect(try base64("+/+/") == [0xFB, 0xFF, 0xBF])
    }

    @Test func base64ToleratesLineBreaksWhitespaceAndMissingPadding() throws {
        #expect(try base64("Zm9v\r\nYmFy\r\n") == Array("foobar".utf8))
        #expect(try base64(" Zm 9v\tYm\nE ") == Array("fooba".utf8))
        #expect(try base64("Zm9vYg") == Array("foob".utf8))
        #expect(try base64("Zm9vYmE") == Array("fooba".utf8))
        #expect(try base64("Zg===\r\n") == Array("f".utf8))
    }

    @Test func base64RefusesWhatIsNotBase64() {
        #expect(throws: MIMEError(.invalidEncoding, "")) { try base64("Zm9v!") }
        #expect(throws: MIMEError(.invalidEncoding, "")) { try base64("Zm9v-_") }
        #expect(throws: MIMEError(.invalidEncoding, "")) { try base64("Zg==Zg==") }
        #expect(throws: MIMEError(.invalidEncoding, "")) { try base64("Zm9vY") }
        #expect(throws: MIMEError(.invalidEncoding, "")) { try base64("Zm9v\u{0}") }
        #expect(throws: MIMEError(.tooLarge, "")) { try base64("Zm9vYmFy", limit: 5) }
    }

    @Test func quotedPrintableEscapesAndSoftLineBreaks() throws {
        #expect(try quotedPrintable("caf=C3=A9") == "café")
        #expect(try quotedPrintable("caf=c3=a9") == "café")
        #expect(try quotedPrintable("long=\r\nline=\nhere=  \r\n!") == "longlinehere!")
        #expect(try quotedPrintable("trailing soft break=") == "trailing soft break")
        #expect(try quotedPrintable("a=3D1") == "a=1")
    }

    @Test func quotedPrintableKeepsInvalidEscapesLiterally() throws {
        #expect(try quotedPrintable("1 = 2, x=G1, y=4") == "1 = 2, x=G1, y=4")
        #expect(try quotedPrintable("=\r") == "")
        #expect(try quotedPrintable("=\rx") == "=\rx")
    }

    @Test func quotedPrintableHardLineBreaksAndTransportPadding() throws {
        #expect(try quotedPrintable("one  \r\ntwo\t\nthree ") == "one\r\ntwo\nthree")
        #expect(try quotedPrintable("kept=20\r\nkept=09 \r\n") == "kept \r\nkept\t\r\n")
        #expect(try quotedPrintable("before soft break  =\r\n\r\nnext") == "before soft break  \r\nnext")
    }

    @Test func identityEncodingsKeepTheBytes() throws {
        let bytes: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A, 0x3D]
        for encoding in [MIMETransferEncoding.sevenBit, .eightBit, .binary] {
            #expect(try encoding.decode(bytes[...], limit: 5) == bytes)
            #expect(throws: MIMEError(.tooLarge, "")) { try encoding.decode(bytes[...], limit: 4) }
        }
    }

    @Test func unsupportedEncoding() {
        let error = #expect(throws: MIMEError.self) {
            try MIMETransferEncoding(name: "x-gzip64").decode([1, 2][...], limit: 10)
        }
        #expect(error?.code == .unsupportedEncoding)
        #expect(error?.description == "MIMEError.unsupportedEncoding: unsupported Content-Transfer-Encoding (8 bytes)")
    }
}
