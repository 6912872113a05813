/// Writes DEFLATE streams bit by bit (RFC 1951 §3.1.1), for streams no compressor would produce.
struct DeflateWriter {
    private(set) var bytes: [UInt8] = []
    private var value: UInt64 = 0
    private var count = 0

    /// The stream, its last byte padded with zero bits.
    var finished: [UInt8] {
        var copy = self
        copy.align()
        return copy.bytes
    }

    /// Writes `width` bits of `bits`, least significant first (header fields, extra bits).
    mutating func write(_ bits: Int, width: Int) {
        value |= UInt64(bits) << UInt64(count)
        count += width
        while count >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
            count -= 8
        }
    }

    /// Writes a Huffman code, most significant bit first.
    mutating func writeCode(_ code: Int, length: Int) {
        for bit in stride(from: length - 1, through: 0, by: -1) {
            write(code >> bit & 1, width: 1)
        }
    }

    mutating func align() {
        if count > 0 { write(0, width: 8 - count) }
    }

    /// BFINAL and BTYPE.
    mutating func blockHeader(final: Bool, type: Int) {
        write(final ? 1 : 0, width: 1)
        write(type, width: 2)
    }

    /// A symbol of the fixed literal/length code (RFC 1951 §3.2.6).
    mutating func fixedLiteral(_ symbol: Int) {
        switch symbol {
        case 0..<144: writeCode(0x30 + symbol, length: 8)
        case 144..<256: writeCode(0x190 + symbol - 144, length: 9)
        case 256..<280: writeCode(symbol - 256, length: 7)
        default: writeCode(0xC0 + symbol - 280, length: 8)
        }
    }

    /// A symbol of the fixed distance code.
    mutating func fixedDistance(_ symbol: Int) {
        writeCode(symbol, length: 5)
    }

    /// Writes `symbol` with the canonical code of `lengths`.
    mutating func write(symbol: Int, lengths: [UInt8]) {
        writeCode(Self.canonicalCodes(lengths)[symbol], length: Int(lengths[symbol]))
    }

    /// The canonical codes of RFC 1951 §3.2.2.
    static func canonicalCodes(_ lengths: [UInt8]) -> [Int] {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths where length > 0 { counts[Int(length)] += 1 }
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1..<16 {
            code = (code + counts[length - 1]) << 1
            next[length] = code
        }
        return lengths.map { length in
            guard length > 0 else { return 0 }
            defer { next[Int(length)] += 1 }
            return next[Int(length)]
        }
    }

    /// A code length code for symbols 0-12 and 16-18, four bits each (complete).
    static let standardCodeLengthLengths: [UInt8] = (0..<19).map { $0 <= 12 || $0 >= 16 ? 4 : 0 }

    /// One code-length symbol and its extra bits.
    struct CodeLengthSymbol {
        var symbol: Int
        var extra = 0
    }

    /// Run-length encodes code lengths: 18 and 17 for zero runs, literal lengths otherwise.
    static func runLengthEncoded(_ lengths: [UInt8]) -> [CodeLengthSymbol] {
        var symbols: [CodeLengthSymbol] = []
        var index = 0
        while index < lengths.count {
            var run = 0
            while index + run < lengths.count && lengths[index + run] == 0 && run < 138 { run += 1 }
            if run >= 11 {
                symbols.append(CodeLengthSymbol(symbol: 18, extra: run - 11))
                index += run
            } else if run >= 3 {
                symbols.append(CodeLengthSymbol(symbol: 17, extra: run - 3))
                index += run
            } else {
                symbols.append(CodeLengthSymbol(symbol: Int(lengths[index])))
                index += 1
            }
        }
        return symbols
    }

    /// A dynamic block header (RFC 1951 §3.2.7) sending all 19 code length code lengths.
    mutating func dynamicHeader(
        literalCount: Int,
        distanceCount: Int,
        codeLengthLengths: [UInt8] = standardCodeLengthLengths,
        symbols: [CodeLengthSymbol]
    ) {
        write(literalCount - 257, width: 5)
        write(distanceCount - 1, width: 5)
        write(19 - 4, width: 4)
        for symbol in [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15] {
            write(Int(codeLengthLengths[symbol]), width: 3)
        }
        for item in symbols {
            write(symbol: item.symbol, lengths: codeLengthLengths)
            switch item.symbol {
            case 16: write(item.extra, width: 2)
            case 17: write(item.extra, width: 3)
            case 18: write(item.extra, width: 7)
            default: break
            }
        }
    }

    /// A dynamic block header for these literal/length and distance code lengths.
    mutating func dynamicHeader(literalLengths: [UInt8], distanceLengths: [UInt8]) {
        dynamicHeader(
            literalCount: literalLengths.count,
            distanceCount: distanceLengths.count,
            symbols: Self.runLengthEncoded(literalLengths + distanceLengths)
        )
    }
}
