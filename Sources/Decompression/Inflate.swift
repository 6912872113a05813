/// Raw DEFLATE (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks, strictly checked and bounded.
///
/// The stream ends with the block marked final; bytes after it are left alone and ``decompress(_:limits:)``
/// reports how many bytes the stream used, so gzip and ZIP readers find what follows. Refused with
/// ``DecompressionError``: a cut-off stream (`truncated`); block type 3, a stored block whose LEN and NLEN
/// disagree, code lengths that over-subscribe or leave a code incomplete where RFC 1951 allows none, a
/// literal/length symbol 286-287 or distance symbol 30-31, a distance before the start of the output
/// (`invalidData`); output past the limits (`outputTooLarge`, raised before the bytes are written).
///
/// ```swift
/// let (output, consumed) = try Inflate.decompress(deflateData, limits: .reports)
/// let trailer = deflateData[consumed...]
/// ```
package enum Inflate {
    /// Decompresses the DEFLATE stream at the start of `data`.
    /// - Parameters:
    ///   - data: A raw DEFLATE stream (no zlib or gzip wrapper), possibly followed by other bytes.
    ///   - limits: The output cap, computed from `data.count`.
    /// - Returns: The decompressed bytes and the number of bytes of `data` the stream occupies (its last block
    ///   ends inside byte `data.startIndex + consumed - 1`).
    /// - Throws: ``DecompressionError`` `.truncated`, `.invalidData` or `.outputTooLarge`.
    package static func decompress(
        _ data: ArraySlice<UInt8>,
        limits: DecompressionLimits
    ) throws(DecompressionError) -> (output: [UInt8], consumed: Int) {
        let limit = limits.outputLimit(forInputBytes: data.count)
        var output = OutputBuffer(limit: limit, expected: data.count.multipliedReportingOverflow(by: 4).partialValue)
        let consumed = try inflate(data, into: &output)
        return (output.finish(), consumed)
    }

    /// Decompresses the DEFLATE stream at the start of `data`.
    /// - Parameters:
    ///   - data: A raw DEFLATE stream (no zlib or gzip wrapper), possibly followed by other bytes.
    ///   - limits: The output cap, computed from `data.count`.
    /// - Returns: The decompressed bytes and the number of bytes of `data` the stream occupies.
    /// - Throws: ``DecompressionError`` `.truncated`, `.invalidData` or `.outputTooLarge`.
    package static func decompress(
        _ data: [UInt8],
        limits: DecompressionLimits
    ) throws(DecompressionError) -> (output: [UInt8], consumed: Int) {
        try decompress(data[...], limits: limits)
    }

    /// Appends the stream at the start of `data` to `output`; back-references may not reach before the bytes
    /// `output` held on entry.
    /// - Returns: The number of bytes of `data` the stream occupies.
    static func inflate(_ data: ArraySlice<UInt8>, into output: inout OutputBuffer) throws(DecompressionError) -> Int {
        var inflater = Inflater(input: data, windowStart: output.count)
        try inflater.run(into: &output)
        return inflater.consumed
    }
}
