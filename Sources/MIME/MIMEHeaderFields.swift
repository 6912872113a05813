/// The header section of a received entity: fields in their order, names compared ignoring ASCII case, duplicates
/// kept.
///
/// ```swift
/// let entity = try MIMEParser.parse(bytes, limits: .reports)
/// entity.headers.first("tls-report-domain")   // "example.com"
/// entity.headers.values("Received")           // every Received field, top first
/// ```
package struct MIMEHeaderFields: Sendable, Hashable, RandomAccessCollection {
    private let storage: [MIMEHeaderField]

    /// Creates a header section from fields, keeping their order.
    package init(_ fields: [MIMEHeaderField] = []) {
        storage = fields
    }

    /// The index of the first field.
    package var startIndex: Int { storage.startIndex }
    /// One past the index of the last field.
    package var endIndex: Int { storage.endIndex }
    /// The field at `position`.
    package subscript(position: Int) -> MIMEHeaderField { storage[position] }

    /// The value of the first field named `name` (ignoring ASCII case), or `nil` when there is none.
    package func first(_ name: String) -> String? {
        storage.first { $0.hasName(name) }?.value
    }

    /// The values of every field named `name` (ignoring ASCII case), in order.
    package func values(_ name: String) -> [String] {
        storage.compactMap { $0.hasName(name) ? $0.value : nil }
    }

    /// Whether at least one field is named `name` (ignoring ASCII case).
    package func contains(_ name: String) -> Bool {
        storage.contains { $0.hasName(name) }
    }
}
