/// The parameters of a Content-Type or Content-Disposition field: names compared ignoring ASCII case, values with
/// quoting and RFC 2231 encoding undone.
///
/// ```swift
/// let type = MIMEContentType(parsing: #"multipart/report; Report-Type="tlsrpt"; boundary=b1"#)
/// type?.parameters["report-type"]   // "tlsrpt"
/// ```
package struct MIMEParameters: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// Values by lower-cased name.
    private let storage: [String: String]

    /// Creates parameters from `(name, value)` pairs; names are lower-cased and the first of duplicates is kept.
    package init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Creates parameters from `(name, value)` pairs; names are lower-cased and the first of duplicates is kept.
    package init(_ elements: [(String, String)]) {
        var storage: [String: String] = [:]
        for (name, value) in elements where storage[MIMEText.lowercasedASCII(name)] == nil {
            storage[MIMEText.lowercasedASCII(name)] = value
        }
        self.storage = storage
    }

    /// The value of the parameter `name` (ignoring ASCII case), or `nil` when there is none.
    package subscript(_ name: String) -> String? {
        storage[MIMEText.lowercasedASCII(name)]
    }

    /// The lower-cased parameter names, sorted.
    package var names: [String] { storage.keys.sorted() }

    /// How many parameters there are.
    package var count: Int { storage.count }

    /// Whether there are no parameters.
    package var isEmpty: Bool { storage.isEmpty }
}
