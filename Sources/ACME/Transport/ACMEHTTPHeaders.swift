/// An ordered list of HTTP header fields with case-insensitive lookup; duplicates are kept in order.
///
/// ```swift
/// var headers = ACMEHTTPHeaders()
/// headers.append("Replay-Nonce", "abc")
/// headers["replay-nonce"]   // "abc"
/// ```
package struct ACMEHTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field.
    package struct Field: Sendable, Equatable {
        /// The name as sent or received (case preserved).
        package let name: String
        /// The value, without surrounding whitespace.
        package let value: String
    }

    private var fields: [Field]

    /// Creates an empty list.
    package init() {
        fields = []
    }

    /// Creates a list from `(name, value)` pairs in order.
    package init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// Appends a field, keeping any existing fields with the same name.
    package mutating func append(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field named `name` (case-insensitively) with one field.
    package mutating func replace(_ name: String, with value: String) {
        fields.removeAll { Self.equalNames($0.name, name) }
        fields.append(Field(name: name, value: value))
    }

    /// The first value of the field named `name`, compared case-insensitively (RFC 9110 §5.1).
    package subscript(_ name: String) -> String? {
        fields.first { Self.equalNames($0.name, name) }?.value
    }

    /// Every value of the fields named `name`, in order (e.g. several `Link` fields).
    package func values(for name: String) -> [String] {
        fields.filter { Self.equalNames($0.name, name) }.map(\.value)
    }

    /// Iterates over the fields in order.
    package func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// ASCII case-insensitive comparison of field names.
    private static func equalNames(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count
            && zip(lhs.utf8, rhs.utf8).allSatisfy { asciiLowercase($0) == asciiLowercase($1) }
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}
