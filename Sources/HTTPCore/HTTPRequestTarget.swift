/// The parts of a request-target (RFC 9112 §3.2), as byte offsets into it.
struct HTTPRequestTarget: Sendable, Hashable {
    /// The form the target was sent in.
    var form: HTTPRequestHead.TargetForm
    /// The authority of an absolute-form target.
    var authority: Range<Int>?
    /// The path; empty for an absolute-form target without one.
    var path: Range<Int>
    /// The query after `?`, without the `?`.
    var query: Range<Int>?

    /// Classifies and splits a target; returns `nil` when it is none of the supported forms.
    ///
    /// Byte-level validity (no CTL, SP, non-ASCII or `#`) is checked separately by the parser.
    static func split(_ bytes: some RandomAccessCollection<UInt8>) -> HTTPRequestTarget? {
        let count = bytes.count
        guard count > 0 else { return nil }
        func byte(_ offset: Int) -> UInt8 { bytes[bytes.index(bytes.startIndex, offsetBy: offset)] }
        func splitPathAndQuery(from start: Int) -> (Range<Int>, Range<Int>?) {
            var offset = start
            while offset < count {
                if byte(offset) == .questionMark { return (start..<offset, (offset + 1)..<count) }
                offset += 1
            }
            return (start..<count, nil)
        }

        // origin-form = absolute-path [ "?" query ] (RFC 9112 §3.2.1)
        if byte(0) == .slash {
            let (path, query) = splitPathAndQuery(from: 0)
            return HTTPRequestTarget(form: .origin, authority: nil, path: path, query: query)
        }
        // asterisk-form = "*" (RFC 9112 §3.2.4)
        if count == 1, byte(0) == .asterisk {
            return HTTPRequestTarget(form: .asterisk, authority: nil, path: 0..<1, query: nil)
        }
        // absolute-form = absolute-URI (RFC 9112 §3.2.2); only the http and https schemes are served, and
        // RFC 9110 §4.2.1 requires a non-empty host for them.
        var schemeEnd = 0
        while schemeEnd < count, byte(schemeEnd) != .colon { schemeEnd += 1 }
        let scheme = bytes.prefix(schemeEnd)
        guard
            HTTPSyntax.equalsCaseInsensitive(scheme, lowercase: "http")
                || HTTPSyntax.equalsCaseInsensitive(scheme, lowercase: "https"),
            schemeEnd + 2 < count, byte(schemeEnd + 1) == .slash, byte(schemeEnd + 2) == .slash
        else { return nil }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < count, byte(authorityEnd) != .slash, byte(authorityEnd) != .questionMark {
            guard HTTPSyntax.isHostByte(byte(authorityEnd)) else { return nil }
            authorityEnd += 1
        }
        guard authorityEnd > authorityStart else { return nil }
        let (path, query) = splitPathAndQuery(from: authorityEnd)
        return HTTPRequestTarget(form: .absolute, authority: authorityStart..<authorityEnd, path: path, query: query)
    }
}
