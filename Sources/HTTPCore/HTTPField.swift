/// One header or trailer field line: a case-insensitive name and a value (RFC 9110 §5).
package struct HTTPField: Sendable, Hashable, CustomStringConvertible {
    /// A field name: compared case-insensitively, written as it was given.
    ///
    /// ```swift
    /// let name = HTTPField.Name("X-Request-ID")   // nil if not a token
    /// fields[.contentType] = "text/plain"
    /// ```
    package struct Name: Sendable, Hashable, CustomStringConvertible {
        /// The name as given or received, e.g. `Content-Type`.
        package let rawName: String
        /// The ASCII-lower-cased name used for comparison, e.g. `content-type`.
        package let canonicalName: String

        /// Creates a name, or returns `nil` unless `name` is a non-empty token (RFC 9110 §5.1).
        package init?(_ name: String) {
            guard HTTPSyntax.isToken(name.utf8) else { return nil }
            self.init(validatedToken: name.utf8)
        }

        /// Creates a name from bytes already validated as a token.
        init(validatedToken bytes: some Collection<UInt8>) {
            let raw = String(decoding: bytes, as: UTF8.self)
            var hasUppercase = false
            for byte in bytes where byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                hasUppercase = true
                break
            }
            rawName = raw
            guard hasUppercase else {
                canonicalName = raw
                return
            }
            canonicalName = String(unsafeUninitializedCapacity: bytes.count) { buffer in
                var count = 0
                for byte in bytes {
                    buffer[count] = HTTPSyntax.lowercased(byte)
                    count += 1
                }
                return count
            }
        }

        private init(known canonicalName: String, raw: String) {
            self.rawName = raw
            self.canonicalName = canonicalName
        }

        /// Whether two names are equal ignoring ASCII case.
        package static func == (lhs: Name, rhs: Name) -> Bool { lhs.canonicalName == rhs.canonicalName }

        /// Hashes the canonical (lower-cased) name.
        package func hash(into hasher: inout Hasher) { hasher.combine(canonicalName) }

        /// The raw name.
        package var description: String { rawName }

        /// `Host`.
        package static let host = Name(known: "host", raw: "Host")
        /// `Content-Type`.
        package static let contentType = Name(known: "content-type", raw: "Content-Type")
        /// `Content-Length`.
        package static let contentLength = Name(known: "content-length", raw: "Content-Length")
        /// `Transfer-Encoding`.
        package static let transferEncoding = Name(known: "transfer-encoding", raw: "Transfer-Encoding")
        /// `Connection`.
        package static let connection = Name(known: "connection", raw: "Connection")
        /// `Cache-Control`.
        package static let cacheControl = Name(known: "cache-control", raw: "Cache-Control")
        /// `Location`.
        package static let location = Name(known: "location", raw: "Location")
        /// `ETag`.
        package static let etag = Name(known: "etag", raw: "ETag")
        /// `If-Match`.
        package static let ifMatch = Name(known: "if-match", raw: "If-Match")
        /// `If-None-Match`.
        package static let ifNoneMatch = Name(known: "if-none-match", raw: "If-None-Match")
        /// `Retry-After`.
        package static let retryAfter = Name(known: "retry-after", raw: "Retry-After")
        /// `Authorization`.
        package static let authorization = Name(known: "authorization", raw: "Authorization")
        /// `Accept`.
        package static let accept = Name(known: "accept", raw: "Accept")
        /// `User-Agent`.
        package static let userAgent = Name(known: "user-agent", raw: "User-Agent")
        /// `Date`.
        package static let date = Name(known: "date", raw: "Date")
        /// `Server`.
        package static let server = Name(known: "server", raw: "Server")
        /// `Allow`.
        package static let allow = Name(known: "allow", raw: "Allow")
        /// `WWW-Authenticate`.
        package static let wwwAuthenticate = Name(known: "www-authenticate", raw: "WWW-Authenticate")
        /// `Expect`.
        package static let expect = Name(known: "expect", raw: "Expect")
        /// `Forwarded` (RFC 7239).
        package static let forwarded = Name(known: "forwarded", raw: "Forwarded")
        /// `X-Forwarded-For`: the de facto list of client addresses that reverse proxies append to.
        package static let xForwardedFor = Name(known: "x-forwarded-for", raw: "X-Forwarded-For")
    }

    /// The field name.
    package var name: Name
    /// The field value, without leading or trailing whitespace.
    package var value: String

    /// Creates a field.
    package init(name: Name, value: String) {
        self.name = name
        self.value = value
    }

    /// `"<name>: <value>"`.
    package var description: String { "\(name.rawName): \(value)" }
}
