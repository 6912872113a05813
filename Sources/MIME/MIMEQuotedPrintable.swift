/// The quoted-printable decoder for bodies (RFC 2045 §6.7); it never refuses input.
///
/// `=XX` becomes the byte (hex digits of either case, rule 1), `=` before optional whitespace and a line break is
/// a soft line break and disappears (rule 5), whitespace at the end of a line is transport padding and is dropped
/// (rule 3) unless it was written as `=20`/`=09`, and hard line breaks are kept as received (CRLF or LF). A `=`
/// followed by anything else is kept literally, as RFC 2045 §6.7 suggests for robustness.
enum MIMEQuotedPrintable {
    /// Decodes `input`.
    /// - Throws: ``MIMEError/Code/tooLarge`` past `limit` bytes of output (only reachable when the input is longer
    ///   than `limit`, since decoding never grows the data).
    static func decode(_ input: ArraySlice<UInt8>, limit: Int) throws(MIMEError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(input.count, limit))
        // Trailing whitespace at or after this output index may be dropped: it did not come from an escape.
        var strippableFrom = 0
        var index = input.startIndex
        let end = input.endIndex
        while index < end {
            guard output.count <= limit else {
                throw MIMEError(.tooLarge, "decoded quoted-printable body exceeds the limit of \(limit) bytes")
            }
            let byte = input[index]
            if byte == UInt8(ascii: "=") {
                var next = index + 1
                while next < end, MIMEText.isWhitespace(input[next]) { next += 1 }
                if let afterBreak = softLineBreakEnd(input, at: next) {
                    index = afterBreak
                    // Whitespace written before a soft line break is content, not transport padding.
                    strippableFrom = output.count
                    continue
                }
                if index + 2 < end, let high = MIMEText.hexValue(input[index + 1]),
                    let low = MIMEText.hexValue(input[index + 2])
                {
                    output.append(high << 4 | low)
                    strippableFrom = output.count
                    index += 3
                    continue
                }
                output.append(byte)
                index += 1
                continue
            }
            let isCRLF = byte == MIMEText.carriageReturn && index + 1 < end && input[index + 1] == MIMEText.lineFeed
            if byte == MIMEText.lineFeed || isCRLF {
                dropTrailingWhitespace(&output, from: strippableFrom)
                if isCRLF { output.append(MIMEText.carriageReturn) }
                output.append(MIMEText.lineFeed)
                strippableFrom = output.count
                index += isCRLF ? 2 : 1
                continue
            }
            output.append(byte)
            index += 1
        }
        dropTrailingWhitespace(&output, from: strippableFrom)
        guard output.count <= limit else {
            throw MIMEError(.tooLarge, "decoded quoted-printable body exceeds the limit of \(limit) bytes")
        }
        return output
    }

    /// Where the input continues after the line break (CRLF, LF, or CR or nothing at the very end) of a soft line
    /// break at `index`; `nil` when something else is there.
    private static func softLineBreakEnd(_ input: ArraySlice<UInt8>, at index: Int) -> Int? {
        guard index < input.endIndex else { return index }
        switch input[index] {
        case MIMEText.lineFeed:
            return index + 1
        case MIMEText.carriageReturn where index + 1 == input.endIndex:
            return index + 1
        case MIMEText.carriageReturn where input[index + 1] == MIMEText.lineFeed:
            return index + 2
        default:
            return nil
        }
    }

    private static func dropTrailingWhitespace(_ output: inout [UInt8], from start: Int) {
        while output.count > start, let last = output.last, MIMEText.isWhitespace(last) { output.removeLast() }
    }
}
