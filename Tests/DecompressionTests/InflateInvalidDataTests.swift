import Decompression
import Testing

/// Each RFC 1951 rule the inflater enforces, broken once by a hand-assembled stream.
@Suite struct InflateInvalidDataTests {
    private func expectInvalid(_ stream: [UInt8], _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: DecompressionError.invalidData, sourceLocation: sourceLocation) {
            try Inflate.decompress(stream, limits: .reports)
        }
        #expect(error?.reason == reason, sourceLocation: sourceLocation)
    }

    /// A fixed block holding `body`.
    private func fixedBlock(_ body: (inout DeflateWriter) -> Void) -> [UInt8] {
        var writer = DeflateWriter()
        writer.blockHeader(final: true, type: 1)
        body(&writer)
        return writer.finished
    }

    @Test func reservedBlockType() {
        expectInvalid([0x07], "reserved block type 3")
    }

    @Test func storedLengthsDisagree() throws {
        expectInvalid([0x01, 0x05, 0x00, 0xFA, 0xFE, 1, 2, 3, 4, 5], "stored block LEN and NLEN disagree")
        #expect(
            try Inflate.decompress([0x01, 0x05, 0x00, 0xFA, 0xFF, 1, 2, 3, 4, 5], limits: .reports).output.count == 5
        )
    }

    @Test func literalLengthSymbols286And287() {
        for symbol in [286, 287] {
            expectInvalid(fixedBlock { $0.fixedLiteral(symbol) }, "length symbol 286 or 287")
        }
    }

    @Test func distanceSymbols30And31() {
        for symbol in [30, 31] {
            let stream = fixedBlock {
                $0.fixedLiteral(0x61)
                $0.fixedLiteral(257)
                $0.fixedDistance(symbol)
                $0.fixedLiteral(256)
            }
            expectInvalid(stream, "distance symbol 30 or 31")
        }
    }

    @Test func distanceTooFarBack() {
        expectInvalid(
            fixedBlock {
                $0.fixedLiteral(257)
                $0.fixedDistance(0)
            },
            "distance too far back"
        )
        expectInvalid(
            fixedBlock {
                $0.fixedLiteral(0x61)
                $0.fixedLiteral(0x62)
                $0.fixedLiteral(257)
                $0.fixedDistance(2)  // distance 3, two bytes written
                $0.fixedLiteral(256)
            },
            "distance too far back"
        )
    }

    @Test func tooManyCodes() {
        var writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        writer.write(30, width: 5)  // 287 literal/length codes
        writer.write(0, width: 5)
        writer.write(0, width: 4)
        expectInvalid(writer.finished, "more than 286 literal/length codes")
        writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        writer.write(0, width: 5)
        writer.write(30, width: 5)  // 31 distance codes
        writer.write(0, width: 4)
        expectInvalid(writer.finished, "more than 30 distance codes")
    }

    private func dynamicStream(codeLengthLengths: [UInt8]) -> [UInt8] {
        var writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        writer.dynamicHeader(literalCount: 257, distanceCount: 1, codeLengthLengths: codeLengthLengths, symbols: [])
        return writer.finished + [UInt8](repeating: 0, count: 64)
    }

    @Test func codeLengthCodeMustBeComplete() {
        var oversubscribed = [UInt8](repeating: 0, count: 19)
        oversubscribed[0] = 1
        oversubscribed[1] = 1
        oversubscribed[2] = 1
        expectInvalid(dynamicStream(codeLengthLengths: oversubscribed), "code length code is not complete")
        var incomplete = [UInt8](repeating: 0, count: 19)
        incomplete[0] = 2
        incomplete[18] = 2
        expectInvalid(dynamicStream(codeLengthLengths: incomplete), "code length code is not complete")
        var single = [UInt8](repeating: 0, count: 19)
        single[18] = 1
        expectInvalid(dynamicStream(codeLengthLengths: single), "code length code is not complete")
        expectInvalid(
            dynamicStream(codeLengthLengths: [UInt8](repeating: 0, count: 19)),
            "code length code is not complete"
        )
    }

    private func dynamicStream(literalLengths: [UInt8], distanceLengths: [UInt8]) -> [UInt8] {
        var writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        writer.dynamicHeader(literalLengths: literalLengths, distanceLengths: distanceLengths)
        return writer.finished + [UInt8](repeating: 0, count: 64)
    }

    private func lengths(_ count: Int, _ assigned: [Int: UInt8]) -> [UInt8] {
        var lengths = [UInt8](repeating: 0, count: count)
        for (symbol, length) in assigned { lengths[symbol] = length }
        return lengths
    }

    @Test func literalLengthCodeMustBeValid() {
        let oversubscribed = lengths(258, [97: 2, 98: 2, 99: 2, 256: 2, 257: 2])
        expectInvalid(
            dynamicStream(literalLengths: oversubscribed, distanceLengths: [1]),
            "invalid literal/length code lengths"
        )
        let incomplete = lengths(258, [97: 2, 256: 2, 257: 2])
        expectInvalid(
            dynamicStream(literalLengths: incomplete, distanceLengths: [1]),
            "invalid literal/length code lengths"
        )
        let noEndOfBlock = lengths(258, [97: 2, 98: 2, 99: 2, 257: 2])
        expectInvalid(dynamicStream(literalLengths: noEndOfBlock, distanceLengths: [1]), "no end-of-block code")
        let complete = lengths(258, [97: 1, 256: 1])
        let incompleteDistances = lengths(30, [0: 1, 1: 2])
        expectInvalid(
            dynamicStream(literalLengths: complete, distanceLengths: incompleteDistances),
            "invalid distance code lengths"
        )
        let oversubscribedDistances = lengths(3, [0: 1, 1: 1, 2: 1])
        expectInvalid(
            dynamicStream(literalLengths: complete, distanceLengths: oversubscribedDistances),
            "invalid distance code lengths"
        )
    }

    @Test func lengthRepeats() {
        var writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        writer.dynamicHeader(literalCount: 257, distanceCount: 1, symbols: [.init(symbol: 16, extra: 0)])
        expectInvalid(writer.finished + [0, 0, 0], "length repeat with no previous length")

        writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        // 257 + 1 lengths wanted; 138 + 138 zeros sent.
        writer.dynamicHeader(
            literalCount: 257,
            distanceCount: 1,
            symbols: [.init(symbol: 18, extra: 127), .init(symbol: 18, extra: 127)]
        )
        expectInvalid(writer.finished + [0, 0, 0], "code lengths overrun the codes")
    }

    @Test func codeWithNoSymbol() {
        // The one-bit distance code has only `0`; `1` starts no code.
        var writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        let literals = InflateTests.literalLengths()
        writer.dynamicHeader(literalLengths: literals, distanceLengths: [1])
        writer.write(symbol: 97, lengths: literals)
        writer.write(symbol: 257, lengths: literals)
        writer.writeCode(1, length: 1)
        writer.write(symbol: 256, lengths: literals)
        expectInvalid(writer.finished + [0, 0], "bits match no Huffman code")
        // A block without distance codes cannot hold a match.
        writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        writer.dynamicHeader(literalLengths: literals, distanceLengths: [0])
        writer.write(symbol: 97, lengths: literals)
        writer.write(symbol: 257, lengths: literals)
        writer.write(symbol: 256, lengths: literals)
        expectInvalid(writer.finished + [0, 0], "bits match no Huffman code")
    }
}
