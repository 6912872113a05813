/// An HTTP request method (RFC 9110 §9), as in swift-http-types.
///
/// Methods are case-sensitive tokens; unknown methods are kept as they were sent.
///
/// ```swift
/// if request.method == .get || request.method == .head { … }
/// ```
package struct HTTPMethod: Sendable, Hashable, CustomStringConvertible {
    /// The method token as sent, e.g. `"GET"`.
    package let rawValue: String

    /// Creates a method from a token, or returns `nil` if `rawValue` is not a valid token (RFC 9110 §5.6.2).
    package init?(_ rawValue: String) {
        guard HTTPSyntax.isToken(rawValue.utf8) else { return nil }
        self.rawValue = rawValue
    }

    /// Creates a method from bytes already validated as a token.
    init(validatedToken bytes: ArraySlice<UInt8>) {
        switch bytes.count {
        // Common methods map to constants so the parser does not build a String for them.
        case 3 where bytes.elementsEqual("GET".utf8): self = .get
        case 3 where bytes.elementsEqual("PUT".utf8): self = .put
        case 4 where bytes.elementsEqual("HEAD".utf8): self = .head
        case 4 where bytes.elementsEqual("POST".utf8): self = .post
        default: self.init(unchecked: String(decoding: bytes, as: UTF8.self))
        }
    }

    private init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    /// The method token.
    package var description: String { rawValue }

    /// `GET`.
    package static let get = HTTPMethod(unchecked: "GET")
    /// `HEAD`.
    package static let head = HTTPMethod(unchecked: "HEAD")
    /// `POST`.
    package static let post = HTTPMethod(unchecked: "POST")
    /// `PUT`.
    package static let put = HTTPMethod(unchecked: "PUT")
    /// `DELETE`.
    package static let delete = HTTPMethod(unchecked: "DELETE")
    /// `PATCH`.
    package static let patch = HTTPMethod(unchecked: "PATCH")
    /// `OPTIONS`.
    package static let options = HTTPMethod(unchecked: "OPTIONS")
    /// `CONNECT` (not supported by the parser: it needs the authority-form target).
    package static let connect = HTTPMethod(unchecked: "CONNECT")
    /// `TRACE`.
    package static let trace = HTTPMethod(unchecked: "TRACE")
}
