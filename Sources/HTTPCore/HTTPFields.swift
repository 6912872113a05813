/// An ordered list of field lines with case-insensitive names; duplicates are kept in order (RFC 9110 §5.3).
///
/// ```swift
/// var fields: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
/// fields.append(.cacheControl, "max-age=60")
/// fields[.contentType]            // "text/plain; charset=utf-8"
/// fields.values(for: .cacheControl)
/// ```
package struct HTTPFields: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    private var storage: [HTTPField]

    /// Creates an empty list.
    package init() {
        storage = []
    }

    /// Creates a list from field lines, keeping their order.
    package init(_ fields: some Sequence<HTTPField>) {
        storage = Array(fields)
    }

    /// Creates a list from `[.name: "value"]` pairs, keeping their order.
    package init(dictionaryLiteral elements: (HTTPField.Name, String)...) {
        storage = elements.map { HTTPField(name: $0.0, value: $0.1) }
    }

    // MARK: - Collection

    /// The index of the first field line.
    package var startIndex: Int { storage.startIndex }
    /// One past the index of the last field line.
    package var endIndex: Int { storage.endIndex }
    /// The field line at `position`.
    package subscript(position: Int) -> HTTPField { storage[position] }

    // MARK: - Access by name

    /// The first value for `name`; setting a value replaces every line for `name`, setting `nil` removes them.
    package subscript(_ name: HTTPField.Name) -> String? {
        get {
            for field in storage where field.name == name { return field.value }
            return nil
        }
        set {
            if let newValue {
                set(name, newValue)
            } else {
                remove(name)
            }
        }
    }

    /// Every value for `name`, in order.
    package func values(for name: HTTPField.Name) -> [String] {
        storage.compactMap { $0.name == name ? $0.value : nil }
    }

    /// Whether at least one line has `name`.
    package func contains(_ name: HTTPField.Name) -> Bool {
        storage.contains { $0.name == name }
    }

    /// Whether any value for `name`, read as a comma-separated list, has an element equal to `token`
    /// ignoring ASCII case (e.g. `Connection: keep-alive, Upgrade`).
    package func containsToken(_ token: String, for name: HTTPField.Name) -> Bool {
        for field in storage where field.name == name {
            if HTTPSyntax.list(field.value.utf8, containsToken: token.utf8) { return true }
        }
        return false
    }

    // MARK: - Mutation

    /// Appends a line, keeping existing lines with the same name.
    package mutating func append(_ name: HTTPField.Name, _ value: String) {
        storage.append(HTTPField(name: name, value: value))
    }

    /// Appends a line.
    package mutating func append(_ field: HTTPField) {
        storage.append(field)
    }

    /// Replaces every line for `name` by one line with `value`, at the position of the first one
    /// (or at the end when there was none).
    package mutating func set(_ name: HTTPField.Name, _ value: String) {
        guard let first = storage.firstIndex(where: { $0.name == name }) else {
            storage.append(HTTPField(name: name, value: value))
            return
        }
        storage[first].value = value
        var index = first + 1
        while index < storage.count {
            if storage[index].name == name {
                storage.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    /// Removes every line for `name`.
    package mutating func remove(_ name: HTTPField.Name) {
        storage.removeAll { $0.name == name }
    }

    /// Removes every line.
    package mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
    }

    /// Reserves room for `count` lines.
    package mutating func reserveCapacity(_ count: Int) {
        storage.reserveCapacity(count)
    }
}
