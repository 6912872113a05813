// MARK: - Chunked transfer coding (RFC 9112 §7.1)

extension HTTPRequestParser {
    /// Parses `chunk-size [ chunk-ext ]` and charges the size against the body limit.
    ///
    /// - Returns: The chunk size; 0 marks the last chunk.
    mutating func parseChunkSizeLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var size: UInt64 = 0
        var index = line.startIndex
        // RFC 9112 §7.1: chunk-size = 1*HEXDIG; accumulated with overflow checks.
        while index < line.endIndex, let digit = HTTPSyntax.hexValue(line[index]) {
            let (shifted, overflowA) = size.multipliedReportingOverflow(by: 16)
            let (sum, overflowB) = shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { throw HTTPParseError(.invalidChunkSize) }
            size = sum
            index += 1
        }
        guard index > line.startIndex else { throw HTTPParseError(.invalidChunkSize) }
        // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ).
        // Extensions are ignored, but they must start with ";" and hold no CTLs.
        while index < line.endIndex, HTTPSyntax.isWhitespace(line[index]) { index += 1 }
        if index < line.endIndex {
            guard line[index] == .semicolon else { throw HTTPParseError(.invalidChunkSize) }
            for byte in line[index...] where !HTTPSyntax.isFieldValueByte(byte) {
                throw HTTPParseError(.invalidChunkExtension)
            }
        }
        let budget = UInt64(max(limits.bodyBytes - chunkedBodyBytes, 0))
        guard size <= budget else { throw HTTPParseError(.contentTooLarge) }
        // The guard above bounds size by an Int, so the conversion cannot trap.
        let chunkSize = Int(size)
        chunkedBodyBytes += chunkSize
        return chunkSize
    }

    /// Consumes the CRLF that must follow chunk data (RFC 9112 §7.1).
    ///
    /// - Returns: `false` when the CRLF has not fully arrived yet.
    mutating func readChunkDataTerminator(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> Bool {
        guard let first = buffer.byte(at: buffer.readerIndex) else { return false }
        // RFC 9112 §2.2: a bare LF is not a line terminator.
        if first == .lineFeed { throw HTTPParseError(.bareLineFeed) }
        guard first == .carriageReturn else { throw HTTPParseError(.invalidChunkTerminator) }
        guard let second = buffer.byte(at: buffer.readerIndex + 1) else { return false }
        guard second == .lineFeed else { throw HTTPParseError(.invalidChunkTerminator) }
        buffer.moveReaderIndex(forwardBy: 2)
        return true
    }
}
