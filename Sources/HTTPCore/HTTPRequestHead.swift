/// The request line and header section of one request.
///
/// ```swift
/// if case .head(let head) = try parser.next(from: &buffer) {
///     route(head.method, head.path, host: head.authority)
/// }
/// ```
package struct HTTPRequestHead: Sendable, Hashable {
    /// The request-target forms this server accepts (RFC 9112 §3.2); authority-form (CONNECT) is not served.
    package enum TargetForm: Sendable, Hashable {
        /// `/path?query`.
        case origin
        /// `http://host/path?query`.
        case absolute
        /// `*` (OPTIONS only).
        case asterisk
    }

    /// How the body of this request is delimited (RFC 9112 §6.3).
    package enum Framing: Sendable, Hashable {
        /// No body.
        case none
        /// Exactly this many bytes follow the head.
        case contentLength(Int)
        /// A chunked body follows.
        case chunked
    }

    /// The request method.
    package var method: HTTPMethod
    /// The raw request-target as sent.
    package let target: String
    /// The target's form.
    package let targetForm: TargetForm
    /// The HTTP version of the request.
    package var version: HTTPVersion
    /// The header fields in the order received.
    package var fields: HTTPFields
    /// How the body is delimited; decided by the parser from Content-Length and Transfer-Encoding.
    package var framing: Framing

    private let pathBounds: Range<String.Index>
    private let queryBounds: Range<String.Index>?
    private let authorityBounds: Range<String.Index>?

    /// Creates a head; the path, query and authority are derived from `target`.
    ///
    /// A target that is none of the supported forms is kept whole as the path.
    package init(
        method: HTTPMethod,
        target: String,
        version: HTTPVersion = .http1_1,
        fields: HTTPFields = HTTPFields(),
        framing: Framing = .none
    ) {
        let split = HTTPRequestTarget.split(Array(target.utf8))
        self.init(
            method: method,
            target: target,
            split: split ?? HTTPRequestTarget(form: .origin, authority: nil, path: 0..<target.utf8.count, query: nil),
            version: version,
            fields: fields,
            framing: framing
        )
    }

    /// Creates a head from a target already split by the parser.
    init(
        method: HTTPMethod,
        target: String,
        split: HTTPRequestTarget,
        version: HTTPVersion,
        fields: HTTPFields,
        framing: Framing
    ) {
        func bounds(_ range: Range<Int>) -> Range<String.Index> {
            let utf8 = target.utf8
            let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            return lower..<utf8.index(lower, offsetBy: range.count)
        }
        self.method = method
        self.target = target
        self.targetForm = split.form
        self.version = version
        self.fields = fields
        self.framing = framing
        self.pathBounds = bounds(split.path)
        self.queryBounds = split.query.map(bounds)
        self.authorityBounds = split.authority.map(bounds)
    }

    /// The path: `/` for an absolute-form target without one, `*` for asterisk-form.
    package var path: Substring {
        pathBounds.isEmpty ? "/" : target[pathBounds]
    }

    /// The query after `?` (without it), or `nil` when the target has no `?`.
    package var query: Substring? {
        queryBounds.map { target[$0] }
    }

    /// The authority of an absolute-form target, otherwise the Host value (RFC 9112 §3.2.2, §3.3).
    package var authority: Substring? {
        if let authorityBounds { return target[authorityBounds] }
        return fields[.host].map { Substring($0) }
    }

    /// Whether the connection stays open after this exchange (RFC 9112 §9.3): HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    package var keepAlive: Bool {
        if fields.containsToken("close", for: .connection) { return false }
        guard version.major == 1 else { return false }
        if version.minor >= 1 { return true }
        return fields.containsToken("keep-alive", for: .connection)
    }

    /// Whether a body follows this head.
    package var hasBody: Bool {
        switch framing {
        case .none, .contentLength(0): false
        case .contentLength, .chunked: true
        }
    }
}
