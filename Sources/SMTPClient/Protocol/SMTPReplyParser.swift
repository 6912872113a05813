package import HTTPCore

/// An incremental, strict parser of SMTP replies (RFC 5321 §4.2) that works on a ``ByteBuffer``.
///
/// Call ``next(from:)`` whenever bytes arrive; it returns one complete reply at a time (a multi-line reply only
/// once its last line, `ddd SP text` or `ddd` alone, has arrived) and `nil` while more bytes are needed. Bytes
/// after a reply stay in the buffer for the next call, so pipelined replies come out one by one. Call
/// ``endOfStream()`` when the connection closes. After a throw the parser stays failed: the connection cannot be
/// trusted to be in step with the server any more.
///
/// Rules: every line ends with CRLF (bare LF is refused), starts with a code whose first digit is 2-5 and
/// second 0-5, followed by `-` (more lines follow), SP or the end of the line; all lines of a reply carry the
/// same code (§4.2.1); text is HT and printable bytes, UTF-8 allowed (RFC 6531 §3.7.4), no other control
/// bytes. Lines and line counts are capped by ``SMTPReplyLimits``.
///
/// ```swift
/// var parser = SMTPReplyParser()
/// buffer.append(contentsOf: received)
/// while let reply = try parser.next(from: &buffer) {
///     handle(reply)                    // e.g. 250 with the EHLO keywords in reply.lines.dropFirst()
/// }
/// buffer.discardReadBytes()
/// ```
package struct SMTPReplyParser: Sendable {
    /// The caps this parser enforces.
    package let limits: SMTPReplyLimits
    /// The code of the reply being assembled (its first line has arrived).
    private var code: Int?
    /// The text of the lines of the reply being assembled.
    private var lines: [String] = []
    /// Bytes after the reader index already searched for LF without success.
    private var scannedBytes = 0
    /// The error every later call throws.
    private var failure: SMTPParseError?

    /// Creates a parser with `limits`.
    package init(limits: SMTPReplyLimits = .default) {
        self.limits = limits
    }

    /// Whether part of a reply (a line or the first lines of a multi-line reply) has been received.
    package var hasPartialReply: Bool {
        code != nil || scannedBytes > 0
    }

    /// Parses as far as the buffer allows and returns the next complete reply.
    ///
    /// - Parameter buffer: Received bytes; consumed bytes are skipped by moving its reader index. Do not consume
    ///   them elsewhere between calls while a reply is partial; `discardReadBytes()` is fine.
    /// - Returns: The next reply, or `nil` when more bytes are needed.
    /// - Throws: ``SMTPParseError`` when the bytes break a rule or a limit; every later call throws it too.
    package mutating func next(from buffer: inout ByteBuffer) throws(SMTPParseError) -> SMTPReply? {
        if let failure { throw failure }
        do {
            while let line = try nextLine(from: &buffer) {
                if let reply = try append(line) {
                    return reply
                }
            }
            return nil
        } catch {
            failure = error
            throw error
        }
    }

    /// Tells the parser that the server closed the connection; call it once ``next(from:)`` has returned `nil`.
    /// - Throws: ``SMTPParseError/Code/truncatedReply`` when part of a reply had arrived, or the earlier failure.
    package mutating func endOfStream() throws(SMTPParseError) {
        if let failure { throw failure }
        if hasPartialReply {
            let error = SMTPParseError(.truncatedReply)
            failure = error
            throw error
        }
    }

    // MARK: - Lines

    /// The next CRLF-terminated line without its CRLF, or `nil` until its LF arrives.
    private mutating func nextLine(from buffer: inout ByteBuffer) throws(SMTPParseError) -> ArraySlice<UInt8>? {
        let start = buffer.readerIndex
        guard let lineFeed = buffer.firstIndex(of: 0x0A, from: start + scannedBytes) else {
            scannedBytes = buffer.readableBytes
            // Even if the last byte is the CR, the line is already longer than allowed: the verdict does not
            // depend on how the bytes were split.
            if buffer.readableBytes > limits.lineBytes + 1 { throw SMTPParseError(.lineTooLong) }
            return nil
        }
        scannedBytes = 0
        let rawLength = lineFeed - start
        if rawLength > limits.lineBytes + 1 { throw SMTPParseError(.lineTooLong) }
        // RFC 5321 §2.3.8: lines end with CRLF; a bare LF is where parsers disagree about line ends.
        guard rawLength > 0, buffer.storage[lineFeed - 1] == 0x0D else { throw SMTPParseError(.bareLineFeed) }
        let line = buffer.storage[start..<(lineFeed - 1)]
        buffer.moveReaderIndex(to: lineFeed + 1)
        return line
    }

    /// Adds one line to the reply being assembled; returns the reply when this was its last line.
    private mutating func append(_ line: ArraySlice<UInt8>) throws(SMTPParseError) -> SMTPReply? {
        // Reply-code = %x32-35 %x30-35 %x30-39 (RFC 5321 §4.2).
        guard line.count >= 3 else { throw SMTPParseError(.invalidDigits) }
        let first = line[line.startIndex]
        let second = line[line.startIndex + 1]
        let third = line[line.startIndex + 2]
        guard first >= UInt8(ascii: "2"), first <= UInt8(ascii: "5"), second >= UInt8(ascii: "0"),
            second <= UInt8(ascii: "5"), SMTPSyntax.isDigit(third)
        else { throw SMTPParseError(.invalidDigits) }
        let lineCode = Int(first - 0x30) * 100 + Int(second - 0x30) * 10 + Int(third - 0x30)
        if let code, code != lineCode { throw SMTPParseError(.inconsistentReplyCodes) }
        let isLast: Bool
        let text: ArraySlice<UInt8>
        if line.count == 3 {
            isLast = true
            text = []
        } else {
            switch line[line.startIndex + 3] {
            case UInt8(ascii: "-"): isLast = false
            case UInt8(ascii: " "): isLast = true
            default: throw SMTPParseError(.invalidSeparator)
            }
            text = line[(line.startIndex + 4)...]
        }
        guard text.allSatisfy(SMTPSyntax.isReplyText) else { throw SMTPParseError(.invalidText) }
        guard lines.count < limits.lineCount else { throw SMTPParseError(.tooManyLines) }
        code = lineCode
        lines.append(String(decoding: text, as: UTF8.self))
        guard isLast else { return nil }
        let reply = SMTPReply(code: lineCode, lines: lines)
        code = nil
        lines = []
        return reply
    }
}
