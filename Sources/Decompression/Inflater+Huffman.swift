// MARK: - Huffman blocks (RFC 1951 §3.2.5-§3.2.7)

extension Inflater {
    /// Length base values for symbols 257...285 (RFC 1951 §3.2.5).
    private static let lengthBase: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    /// Extra bits after length symbols 257...285.
    private static let lengthExtraBits: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    /// Distance base values for distance symbols 0...29.
    private static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    /// Extra bits after distance symbols 0...29.
    private static let distanceExtraBits: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// The order in which code length code lengths are sent (RFC 1951 §3.2.7).
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Decodes one symbol of `table`, for the block headers (the block data has its own inlined loop).
    private mutating func decodeSymbol(_ table: HuffmanTable) throws(DecompressionError) -> Int {
        if bitCount < HuffmanTable.maximumLength { refill() }
        let entry = Int(table.fast[Int(truncatingIfNeeded: bitBuffer) & table.fastMask])
        let symbol: Int
        let length: Int
        if entry != 0 {
            symbol = entry >> 4
            length = entry & 15
        } else if let slow = table.decodeSlowly(bitBuffer) {
            (symbol, length) = slow
        } else {
            throw unmatchedCode()
        }
        consume(length)
        guard !isOverrun else { throw .truncated("input ends inside a Huffman code") }
        return symbol
    }

    /// Reads the code definitions at the start of a dynamic-Huffman block (RFC 1951 §3.2.7).
    ///
    /// As in zlib and `puff`: the code length code must be complete; the literal/length code must have an
    /// end-of-block code and be complete or a single one-bit code; the distance code may also be empty (a block
    /// of literals only). Over-subscribed codes are always refused.
    mutating func readDynamicCodes() throws(DecompressionError) -> (literals: HuffmanTable, distances: HuffmanTable) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286 else { throw .invalidData("more than 286 literal/length codes") }
        guard distanceCount <= 30 else { throw .invalidData("more than 30 distance codes") }

        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            codeLengthLengths[Self.codeLengthOrder[index]] = UInt8(try bits(3))
        }
        let codeLengthCode = HuffmanTable(lengths: codeLengthLengths[...], fastBits: 7)
        guard codeLengthCode.shape == .complete else { throw .invalidData("code length code is not complete") }

        let total = literalCount + distanceCount
        var lengths = [UInt8]()
        lengths.reserveCapacity(total)
        while lengths.count < total {
            let symbol = try decodeSymbol(codeLengthCode)
            let value: UInt8
            let repeatCount: Int
            switch symbol {
            case 0...15:
                value = UInt8(symbol)
                repeatCount = 1
            case 16:
                guard let previous = lengths.last else { throw .invalidData("length repeat with no previous length") }
                value = previous
                repeatCount = try 3 + bits(2)
            case 17:
                value = 0
                repeatCount = try 3 + bits(3)
            default:
                value = 0
                repeatCount = try 11 + bits(7)
            }
            guard repeatCount <= total - lengths.count else { throw .invalidData("code lengths overrun the codes") }
            lengths.append(contentsOf: repeatElement(value, count: repeatCount))
        }
        guard lengths[256] != 0 else { throw .invalidData("no end-of-block code") }

        let literals = HuffmanTable(lengths: lengths[..<literalCount], fastBits: 10)
        guard literals.shape == .complete || literals.shape == .singleCode else {
            throw .invalidData("invalid literal/length code lengths")
        }
        let distances = HuffmanTable(lengths: lengths[literalCount...], fastBits: 8)
        guard distances.shape == .complete || distances.shape == .singleCode || distances.shape == .empty else {
            throw .invalidData("invalid distance code lengths")
        }
        return (literals, distances)
    }

    /// Decodes literals and matches until the end-of-block symbol.
    mutating func decodeBlock(
        literals: HuffmanTable,
        distances: HuffmanTable,
        into output: inout OutputBuffer
    ) throws(DecompressionError) {
        let lengthBase = Self.lengthBase
        let lengthExtraBits = Self.lengthExtraBits
        let distanceBase = Self.distanceBase
        let distanceExtraBits = Self.distanceExtraBits
        while true {
            // One literal/length code, its extra bits, a distance code and its extra bits: at most 48 bits.
            if bitCount < 48 { refill() }
            var entry = Int(literals.fast[Int(truncatingIfNeeded: bitBuffer) & literals.fastMask])
            var symbol: Int
            var length: Int
            if entry != 0 {
                symbol = entry >> 4
                length = entry & 15
            } else if let slow = literals.decodeSlowly(bitBuffer) {
                (symbol, length) = slow
            } else {
                throw unmatchedCode()
            }
            consume(length)

            if symbol < 256 {
                guard !isOverrun else { throw .truncated("input ends inside a Huffman code") }
                try output.reserve(1)
                output.bytes[output.count] = UInt8(truncatingIfNeeded: symbol)
                output.count += 1
                continue
            }
            guard symbol != 256 else {
                guard !isOverrun else { throw .truncated("input ends inside a Huffman code") }
                return
            }
            guard symbol <= 285 else {
                throw isOverrun
                    ? .truncated("input ends inside a Huffman code") : .invalidData("length symbol 286 or 287")
            }
            let lengthIndex = symbol - 257
            let lengthExtra = lengthExtraBits[lengthIndex]
            let matchLength = lengthBase[lengthIndex] + Int(truncatingIfNeeded: bitBuffer) & (1 << lengthExtra - 1)
            consume(lengthExtra)

            entry = Int(distances.fast[Int(truncatingIfNeeded: bitBuffer) & distances.fastMask])
            if entry != 0 {
                symbol = entry >> 4
                length = entry & 15
            } else if let slow = distances.decodeSlowly(bitBuffer) {
                (symbol, length) = slow
            } else {
                throw unmatchedCode()
            }
            consume(length)
            guard symbol <= 29 else {
                throw isOverrun
                    ? .truncated("input ends inside a Huffman code") : .invalidData("distance symbol 30 or 31")
            }
            let distanceExtra = distanceExtraBits[symbol]
            let distance = distanceBase[symbol] + Int(truncatingIfNeeded: bitBuffer) & (1 << distanceExtra - 1)
            consume(distanceExtra)
            guard !isOverrun else { throw .truncated("input ends inside a match") }
            guard distance <= output.count - windowStart else { throw .invalidData("distance too far back") }

            try output.reserve(matchLength)
            var from = output.count - distance
            var to = output.count
            let stop = to + matchLength
            // Byte by byte: a match may overlap the bytes it produces (distance < length repeats a pattern).
            while to < stop {
                output.bytes[to] = output.bytes[from]
                to += 1
                from += 1
            }
            output.count = stop
        }
    }
}
