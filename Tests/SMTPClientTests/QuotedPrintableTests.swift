import Foundation
import Testing

@testable import SMTPClient

/// RFC 2045 §6.7.
@Suite struct QuotedPrintableTests {
    private func encode(_ text: String) -> String {
        String(decoding: QuotedPrintable.encode(Array(text.utf8)), as: UTF8.self)
    }

    @Test func printableASCIIStaysAndEqualsSignAndNonASCIIAreEscaped() {
        #expect(encode("a = b\n") == "a =3D b\r\n")
        #expect(encode("Gr\u{FC}\u{DF}e") == "Gr=C3=BC=C3=9Fe\r\n")
    }

    @Test func whitespaceAtTheEndOfALineIsEscaped() {
        #expect(encode("trailing space \nand tab\t\n") == "trailing space=20\r\nand tab=09\r\n")
    }

    @Test func longLinesGetSoftBreaksWithinSeventySixCharacters() {
        let encoded = encode(String(repeating: "x", count: 200) + "\n" + String(repeating: "\u{E4}", count: 40))
        let lines = encoded.split(separator: "\r\n")
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") || !$0.contains("x") || $0.count < 76 })
        // Decoding (remove soft breaks, then escapes) gives the input back.
        let joined = encoded.replacingOccurrences(of: "=\r\n", with: "")
        #expect(joined.hasPrefix(String(repeating: "x", count: 200) + "\r\n"))
        #expect(!joined.contains("=C3=\r\n"))
    }

    @Test func anEscapeIsNeverSplitBySoftBreaks() {
        let encoded = encode(String(repeating: "\u{E4}", count: 30))
        for line in encoded.split(separator: "\r\n") {
            let withoutSoftBreak = line.hasSuffix("=") ? line.dropLast() : line[...]
            #expect(withoutSoftBreak.count % 3 == 0)
        }
    }
}
