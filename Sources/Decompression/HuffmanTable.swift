/// A canonical Huffman code (RFC 1951 §3.2.2) built from its code lengths, decoded by table lookup.
///
/// Codes of up to `fastBits` bits resolve with one lookup in ``fast``, indexed by the next `fastBits` input bits
/// (least significant bit first, as DEFLATE packs them). Longer codes, and bit patterns no code starts with, find
/// an empty entry there and take ``decodeSlowly(_:)``, which walks the code lengths one bit at a time as
/// Mark Adler's reference decoder `puff` does. ``shape`` says whether the lengths form a usable code; the
/// inflater decides which shapes RFC 1951 allows where.
struct HuffmanTable: Sendable {
    /// What a set of code lengths describes.
    enum Shape: Sendable, Equatable {
        /// Every bit pattern starts exactly one code.
        case complete
        /// No symbol has a code (all lengths are zero).
        case empty
        /// Exactly one symbol, with a one-bit code: the one incomplete code RFC 1951 implies and zlib accepts.
        case singleCode
        /// Some bit patterns start no code.
        case incomplete
        /// More codes of some length than the shorter codes leave room for: not a prefix code at all.
        case oversubscribed
    }

    /// The longest code length DEFLATE allows.
    static let maximumLength = 15

    /// Entry `i`: `symbol << 4 | length` of the code the bits `i` start with, or 0 when that code is longer than
    /// ``fastBits`` bits or no code starts with them.
    let fast: [UInt16]
    /// `fast.count - 1`.
    let fastMask: Int
    /// `counts[n]` is the number of codes of length `n` (index 0 unused).
    private let counts: [Int]
    /// The symbols in canonical order: by code length, then by symbol value.
    private let symbols: [UInt16]
    /// Whether the lengths form a usable code.
    let shape: Shape

    /// Builds the code for `lengths[i]`, the code length (0 meaning unused) of symbol `i - lengths.startIndex`.
    /// - Parameters:
    ///   - lengths: One length of 0...15 per symbol.
    ///   - fastBits: The number of bits the lookup table resolves at once (its size is `1 << fastBits`).
    init(lengths: ArraySlice<UInt8>, fastBits: Int) {
        var counts = [Int](repeating: 0, count: Self.maximumLength + 1)
        for length in lengths {
            counts[Int(length)] += 1
        }
        counts[0] = 0
        let codeCount = lengths.count - lengths.count(where: { $0 == 0 })

        // RFC 1951 §3.2.2; `left` is the number of unused bit patterns of the current length.
        var left = 1
        var shape = Shape.complete
        for length in 1...Self.maximumLength {
            left = left << 1 - counts[length]
            if left < 0 {
                shape = .oversubscribed
                break
            }
        }
        if shape == .complete && left > 0 {
            if codeCount == 0 {
                shape = .empty
            } else if codeCount == 1 && counts[1] == 1 {
                shape = .singleCode
            } else {
                shape = .incomplete
            }
        }
        self.shape = shape
        self.counts = counts
        fastMask = 1 << fastBits - 1

        var fast = [UInt16](repeating: 0, count: 1 << fastBits)
        guard shape != .oversubscribed else {
            self.fast = fast
            symbols = []
            return
        }

        // The first canonical code of each length, then the symbols in canonical order.
        var offsets = [Int](repeating: 0, count: Self.maximumLength + 2)
        for length in 1...Self.maximumLength {
            offsets[length + 1] = offsets[length] + counts[length]
        }
        var symbols = [UInt16](repeating: 0, count: codeCount)
        var nextCode = [Int](repeating: 0, count: Self.maximumLength + 1)
        var code = 0
        for length in 1...Self.maximumLength {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }
        var symbol = 0
        for length in lengths {
            defer { symbol += 1 }
            guard length != 0 else { continue }
            let length = Int(length)
            symbols[offsets[length]] = UInt16(symbol)
            offsets[length] += 1
            let code = nextCode[length]
            nextCode[length] += 1
            guard length <= fastBits else { continue }
            // The table is indexed by the bits as they arrive: the code's first (most significant) bit lowest.
            var reversed = 0
            for bit in 0..<length where code >> bit & 1 == 1 {
                reversed |= 1 << (length - 1 - bit)
            }
            let entry = UInt16(symbol << 4 | length)
            var index = reversed
            while index < fast.count {
                fast[index] = entry
                index += 1 << length
            }
        }
        self.fast = fast
        self.symbols = symbols
    }

    /// Decodes the code that `bits` (next input bit lowest) starts with, one bit at a time.
    /// - Returns: The symbol and its code length, or `nil` when no code of up to 15 bits matches.
    func decodeSlowly(_ bits: UInt64) -> (symbol: Int, length: Int)? {
        var bits = bits
        var code = 0
        var first = 0
        var index = 0
        for length in 1...Self.maximumLength {
            code |= Int(bits & 1)
            bits >>= 1
            let count = counts[length]
            if code - first < count {
                return (Int(symbols[index + code - first]), length)
            }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        return nil
    }
}

// MARK: - The fixed codes (RFC 1951 §3.2.6)

extension HuffmanTable {
    /// Literal/length codes of fixed-Huffman blocks: 0-143 eight bits, 144-255 nine, 256-279 seven, 280-287 eight.
    static let fixedLiterals: HuffmanTable = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for symbol in 144...255 { lengths[symbol] = 9 }
        for symbol in 256...279 { lengths[symbol] = 7 }
        return HuffmanTable(lengths: lengths[...], fastBits: 9)
    }()

    /// Distance codes of fixed-Huffman blocks: 32 codes of five bits (30 and 31 never occur in valid data).
    static let fixedDistances = HuffmanTable(lengths: [UInt8](repeating: 5, count: 32)[...], fastBits: 5)
}
