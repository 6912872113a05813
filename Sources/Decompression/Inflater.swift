/// The state of one DEFLATE decoding: the input, the bit reader over it and where the output's window starts.
///
/// Bits are read least significant first (RFC 1951 §3.1.1) through a 64-bit buffer. ``refill()`` tops the buffer
/// up to at least 57 bits, using zero bytes past the end of the input so the decoder never tests for the end in
/// its inner loop; ``isOverrun`` then tells whether any of those padding bits were consumed, and every decision
/// is taken only after that check, so a cut-off stream is always reported as `truncated`, never misread.
struct Inflater {
    /// The compressed bytes, possibly followed by others (a gzip trailer, the next member).
    let input: ArraySlice<UInt8>
    /// `input.endIndex`.
    let end: Int
    /// The next input byte to load into ``bitBuffer``; up to 8 past ``end`` once padding was loaded.
    var position: Int
    /// Unconsumed bits, the next one lowest.
    var bitBuffer: UInt64 = 0
    /// How many bits of ``bitBuffer`` are unconsumed.
    var bitCount = 0
    /// The first output byte of this stream: distances may not reach before it.
    let windowStart: Int

    /// Starts decoding at the first byte of `input`; back-references may not reach before output `windowStart`.
    init(input: ArraySlice<UInt8>, windowStart: Int) {
        self.input = input
        end = input.endIndex
        position = input.startIndex
        self.windowStart = windowStart
    }

    /// The number of input bytes the stream occupied, up to and including the byte holding its last bit.
    var consumed: Int { position - bitCount >> 3 - input.startIndex }

    /// Decodes blocks until the final one.
    mutating func run(into output: inout OutputBuffer) throws(DecompressionError) {
        var isFinal = false
        while !isFinal {
            // RFC 1951 §3.2.3: BFINAL, then BTYPE.
            isFinal = try bits(1) == 1
            switch try bits(2) {
            case 0: try copyStoredBlock(into: &output)
            case 1: try decodeBlock(literals: .fixedLiterals, distances: .fixedDistances, into: &output)
            case 2:
                let codes = try readDynamicCodes()
                try decodeBlock(literals: codes.literals, distances: codes.distances, into: &output)
            default: throw .invalidData("reserved block type 3")
            }
        }
    }

    // MARK: - Bits

    /// Loads whole bytes until at least 57 bits are buffered, zeros once the input is exhausted.
    @inline(__always)
    mutating func refill() {
        while bitCount <= 56 {
            if position < end {
                bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
            }
            position += 1
            bitCount += 8
        }
    }

    /// Whether a padding bit past the end of the input has been consumed.
    @inline(__always)
    var isOverrun: Bool { (position - end) << 3 > bitCount }

    /// Drops `count` (at most ``bitCount``) bits.
    @inline(__always)
    mutating func consume(_ count: Int) {
        bitBuffer >>= UInt64(count)
        bitCount -= count
    }

    /// Reads an unsigned `count`-bit number (0...16 bits).
    @inline(__always)
    mutating func bits(_ count: Int) throws(DecompressionError) -> Int {
        if bitCount < count { refill() }
        let value = Int(truncatingIfNeeded: bitBuffer) & (1 << count - 1)
        consume(count)
        guard !isOverrun else { throw .truncated("input ends inside a DEFLATE stream") }
        return value
    }

    /// The error for bits that start no code: `truncated` if some of the 15 bits looked at are padding.
    func unmatchedCode() -> DecompressionError {
        (position - end) << 3 > bitCount - HuffmanTable.maximumLength
            ? .truncated("input ends inside a Huffman code") : .invalidData("bits match no Huffman code")
    }

    // MARK: - Stored blocks

    /// Copies a stored block (RFC 1951 §3.2.4): to the byte boundary, LEN, NLEN (its complement), LEN bytes.
    private mutating func copyStoredBlock(into output: inout OutputBuffer) throws(DecompressionError) {
        consume(bitCount & 7)
        // Whole buffered bytes go back to the input (padding included: no padding bit has been consumed).
        position -= bitCount >> 3
        bitBuffer = 0
        bitCount = 0
        guard end - position >= 4 else { throw .truncated("input ends inside a stored block header") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length ^ complement == 0xFFFF else { throw .invalidData("stored block LEN and NLEN disagree") }
        position += 4
        guard end - position >= length else { throw .truncated("input ends inside a stored block") }
        try output.reserve(length)
        output.bytes[output.count..<output.count + length] = input[position..<position + length]
        output.count += length
        position += length
    }
}
