import HTTPCore

// MARK: - Lines and the chunked transfer coding (RFC 9112 §2.2, §7.1)

extension HTTPResponseParser {
    /// Reads one CRLF-terminated line without its CRLF, advancing past it.
    /// - Returns: The line, or `nil` when its LF has not arrived yet.
    /// - Throws: ``HTTPClientError/Code/malformedResponse`` for a bare LF or a line over `maxLength`.
    static func readLine(
        _ buffer: inout ByteBuffer,
        maxLength: Int,
        what: String
    ) throws(HTTPClientError) -> ArraySlice<UInt8>? {
        let start = buffer.readerIndex
        guard let lineFeed = buffer.firstIndex(of: UInt8(ascii: "\n")) else {
            // Even if the last byte is the CR, the line is already longer than allowed.
            if buffer.readableBytes > maxLength + 1 {
                throw HTTPClientError(.malformedResponse, "\(what) too long")
            }
            return nil
        }
        let rawLength = lineFeed - start
        if rawLength > maxLength + 1 {
            throw HTTPClientError(.malformedResponse, "\(what) too long")
        }
        // RFC 9112 §2.2: a bare LF is not accepted as a line terminator (parsers that disagree on line ends
        // enable response splitting).
        guard rawLength > 0, buffer.storage[lineFeed - 1] == UInt8(ascii: "\r") else {
            throw HTTPClientError(.malformedResponse, "line terminated by a bare LF")
        }
        let line = buffer.storage[start..<(lineFeed - 1)]
        buffer.moveReaderIndex(to: lineFeed + 1)
        return line
    }

    /// Parses `chunk-size [ chunk-ext ]` and charges the size against the body limit.
    /// - Returns: The chunk size; 0 marks the last chunk.
    mutating func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPClientError) -> Int {
        var size = 0
        var index = line.startIndex
        // RFC 9112 §7.1: chunk-size = 1*HEXDIG; more than 15 digits cannot fit under any body limit.
        while index < line.endIndex, let digit = HTTPSyntax.hexValue(line[index]).map(Int.init) {
            guard index - line.startIndex < 15 else {
                throw HTTPClientError(.malformedResponse, "chunk size too long")
            }
            size = size * 16 + digit
            index += 1
        }
        guard index > line.startIndex else { throw HTTPClientError(.malformedResponse, "invalid chunk size") }
        // RFC 9112 §7.1.1: extensions are ignored, but must start with ";" and hold no CTLs.
        while index < line.endIndex, HTTPSyntax.isWhitespace(line[index]) { index += 1 }
        if index < line.endIndex {
            guard line[index] == UInt8(ascii: ";"), line[index...].allSatisfy(HTTPSyntax.isFieldValueByte) else {
                throw HTTPClientError(.malformedResponse, "invalid chunk extension")
            }
        }
        try charge(size)
        return size
    }

    /// Consumes the CRLF after chunk data (RFC 9112 §7.1).
    /// - Returns: `false` when it has not fully arrived yet.
    static func readChunkTerminator(_ buffer: inout ByteBuffer) throws(HTTPClientError) -> Bool {
        guard let first = buffer.byte(at: buffer.readerIndex) else { return false }
        guard first == UInt8(ascii: "\r") else {
            throw HTTPClientError(.malformedResponse, "chunk data not followed by CRLF")
        }
        guard let second = buffer.byte(at: buffer.readerIndex + 1) else { return false }
        guard second == UInt8(ascii: "\n") else {
            throw HTTPClientError(.malformedResponse, "chunk data not followed by CRLF")
        }
        buffer.moveReaderIndex(forwardBy: 2)
        return true
    }
}
