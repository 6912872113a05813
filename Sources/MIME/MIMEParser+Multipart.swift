extension MIMEParser {
    /// Finds the body parts of a multipart body (RFC 2046 §5.1.1).
    ///
    /// A delimiter line starts with `--` and the boundary and is followed by optional whitespace (transport
    /// padding) and the line break; the close delimiter adds `--` (anything after it on the line is ignored). The
    /// line break before a delimiter line belongs to the delimiter. The preamble before the first delimiter and the
    /// epilogue after the close delimiter are ignored; when the close delimiter is missing, the last part runs to the
    /// end of the input. Lines may end with CRLF or a bare LF.
    ///
    /// - Returns: The byte range of each part: its header section and body.
    /// - Throws: ``MIMEError/Code/malformed`` when there is no delimiter line at all,
    ///   ``MIMEError/Code/tooManyParts`` as soon as the message passes ``MIMELimits/partCount``.
    mutating func bodyPartRanges(in range: Range<Int>, boundary: [UInt8]) throws(MIMEError) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var partStart: Int?
        // Where the line break that ends the previous line starts: the end of a part followed by a delimiter.
        var previousBreak = range.lowerBound
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            let lineFeed = bytes[lineStart..<range.upperBound].firstIndex(of: MIMEText.lineFeed)
            let next = lineFeed.map { $0 + 1 } ?? range.upperBound
            var contentEnd = lineFeed ?? range.upperBound
            if contentEnd > lineStart, bytes[contentEnd - 1] == MIMEText.carriageReturn { contentEnd -= 1 }
            if let kind = delimiterKind(bytes[lineStart..<contentEnd], boundary: boundary) {
                if let start = partStart {
                    try countPart()
                    ranges.append(start..<max(start, previousBreak))
                }
                if kind == .close { return ranges }
                partStart = next
            }
            previousBreak = contentEnd
            lineStart = next
        }
        guard let start = partStart else {
            throw MIMEError(.malformed, "multipart body without a delimiter line for its boundary")
        }
        try countPart()
        ranges.append(start..<range.upperBound)
        return ranges
    }

    private enum DelimiterKind {
        case delimiter
        case close
    }

    /// Whether `line` (without its line break) is a delimiter or close-delimiter line for `boundary`.
    private func delimiterKind(_ line: ArraySlice<UInt8>, boundary: [UInt8]) -> DelimiterKind? {
        let dash = UInt8(ascii: "-")
        guard line.count >= boundary.count + 2, line.first == dash, line[line.startIndex + 1] == dash else {
            return nil
        }
        let boundaryEnd = line.startIndex + 2 + boundary.count
        guard line[(line.startIndex + 2)..<boundaryEnd].elementsEqual(boundary) else { return nil }
        let rest = line[boundaryEnd...]
        if rest.starts(with: [dash, dash]) { return .close }
        return rest.allSatisfy(MIMEText.isWhitespace) ? .delimiter : nil
    }
}
