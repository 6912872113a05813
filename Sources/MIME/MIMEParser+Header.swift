extension MIMEParser {
    /// Reads the header section at the start of `range` (RFC 5322 §2.2, §3.6.8).
    ///
    /// Lines end with CRLF or a bare LF. A line starting with whitespace continues the previous field (unfolding
    /// keeps the whitespace and drops the line break); one before any field is ignored. The section ends at an
    /// empty line, at the end of the input (a message without a body), or, as mail readers do, at the first line
    /// that is neither a field nor a continuation: the body then starts with that line.
    ///
    /// - Parameters:
    ///   - range: The entity's bytes.
    ///   - skippingEnvelopeLine: Whether a first line starting with `From ` (the mbox envelope line some local
    ///     delivery agents prepend) is skipped.
    /// - Returns: The fields, and where the body starts.
    /// - Throws: ``MIMEError/Code/tooLarge`` when the section runs past ``MIMELimits/headerBytes`` (a field line
    ///   that never ends included), ``MIMEError/Code/tooManyFields`` past ``MIMELimits/headerFieldCount``.
    func headerSection(
        in range: Range<Int>,
        skippingEnvelopeLine: Bool
    ) throws(MIMEError) -> (fields: MIMEHeaderFields, bodyStart: Int) {
        // Everything read as header must lie before `budgetEnd`.
        let budgetEnd = range.count > limits.headerBytes ? range.lowerBound + limits.headerBytes : range.upperBound
        var fields: [MIMEHeaderField] = []
        var pending: (name: String, value: [UInt8])?
        var index = range.lowerBound
        if skippingEnvelopeLine, bytes[range].starts(with: "From ".utf8) {
            index = try lineEnd(from: index, in: range, budgetEnd: budgetEnd).next
        }
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == MIMEText.lineFeed
                || byte == MIMEText.carriageReturn
                    && (index + 1 == range.upperBound || bytes[index + 1] == MIMEText.lineFeed)
            {
                index = min(index + (byte == MIMEText.lineFeed ? 1 : 2), range.upperBound)
                break
            }
            if MIMEText.isWhitespace(byte) {
                let line = try lineEnd(from: index, in: range, budgetEnd: budgetEnd)
                pending?.value += bytes[index..<line.contentEnd]
                index = line.next
                continue
            }
            guard let valueStart = try fieldValueStart(from: index, in: range, budgetEnd: budgetEnd) else { break }
            let line = try lineEnd(from: valueStart, in: range, budgetEnd: budgetEnd)
            if let pending { fields.append(Self.field(pending)) }
            guard fields.count < limits.headerFieldCount else {
                throw MIMEError(.tooManyFields, "header section has more than \(limits.headerFieldCount) fields")
            }
            var nameEnd = valueStart - 1
            while nameEnd > index, MIMEText.isWhitespace(bytes[nameEnd - 1]) { nameEnd -= 1 }
            pending = (
                String(decoding: bytes[index..<nameEnd], as: UTF8.self), Array(bytes[valueStart..<line.contentEnd])
            )
            index = line.next
        }
        if let pending { fields.append(Self.field(pending)) }
        return (MIMEHeaderFields(fields), index)
    }

    /// Where the value of the field line at `start` begins (after its colon), or `nil` when the line is not a
    /// field line: a name of `ftext` bytes, optional whitespace (RFC 5322 §4.5.8 obsolete syntax), a colon.
    private func fieldValueStart(from start: Int, in range: Range<Int>, budgetEnd: Int) throws(MIMEError) -> Int? {
        var index = start
        while index < budgetEnd, MIMEText.isFieldNameByte(bytes[index]) { index += 1 }
        let nameEnd = index
        while index < budgetEnd, MIMEText.isWhitespace(bytes[index]) { index += 1 }
        if index == budgetEnd, budgetEnd < range.upperBound { throw headerTooLarge() }
        guard index < range.upperBound, bytes[index] == UInt8(ascii: ":"), nameEnd > start else { return nil }
        return index + 1
    }

    /// The end of the line starting at `start`, without its CRLF or LF, and the start of the next line.
    private func lineEnd(
        from start: Int,
        in range: Range<Int>,
        budgetEnd: Int
    ) throws(MIMEError) -> (contentEnd: Int, next: Int) {
        guard let lineFeed = bytes[start..<budgetEnd].firstIndex(of: MIMEText.lineFeed) else {
            if budgetEnd < range.upperBound { throw headerTooLarge() }
            return (range.upperBound, range.upperBound)
        }
        let hasCR = lineFeed > start && bytes[lineFeed - 1] == MIMEText.carriageReturn
        return (hasCR ? lineFeed - 1 : lineFeed, lineFeed + 1)
    }

    private func headerTooLarge() -> MIMEError {
        MIMEError(.tooLarge, "header section exceeds the limit of \(limits.headerBytes) bytes")
    }

    /// The field with its value unfolded, trimmed and decoded leniently.
    private static func field(_ pending: (name: String, value: [UInt8])) -> MIMEHeaderField {
        var value = pending.value[...]
        while let first = value.first, MIMEText.isWhitespace(first) { value.removeFirst() }
        while let last = value.last, MIMEText.isWhitespace(last) || last == MIMEText.carriageReturn {
            value.removeLast()
        }
        return MIMEHeaderField(name: pending.name, value: MIMEText.lenientString(value))
    }
}
