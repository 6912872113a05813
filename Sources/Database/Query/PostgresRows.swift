/// The materialised result of one statement: column metadata and every row's text values.
///
/// Results are copied out of libpq at once so no `PGresult` outlives the call that produced it.
package struct PostgresRows: Sendable, Sequence {
    /// One result column's name and type.
    package struct Column: Sendable, Equatable {
        package let name: String
        package let oid: UInt32
    }

    package let columns: [Column]
    package let values: [[String?]]
    /// The number of rows a command changed (`INSERT`, `UPDATE`, `DELETE`), or zero.
    package let affectedRows: Int

    package var count: Int { values.count }
    package var isEmpty: Bool { values.isEmpty }
    package var first: PostgresRow? { values.isEmpty ? nil : PostgresRow(columns: columns, values: values[0]) }

    package func makeIterator() -> AnyIterator<PostgresRow> {
        var index = 0
        return AnyIterator {
            guard index < values.count else { return nil }
            defer { index += 1 }
            return PostgresRow(columns: columns, values: values[index])
        }
    }
}

/// One result row whose columns decode into typed Swift values.
///
/// ```swift
/// let (id, email) = try row.decode((UUID, String).self)
/// ```
package struct PostgresRow: Sendable {
    let columns: [PostgresRows.Column]
    let values: [String?]

    /// Decodes the column at `index`; a NULL, a type mismatch or bad text is a `decodingFailed` error.
    package func decode<Value: PostgresDecodable>(_ type: Value.Type, at index: Int) throws(DatabaseError) -> Value {
        guard index < columns.count else {
            throw DatabaseError(.decodingFailed, "column \(index) does not exist (row has \(columns.count))")
        }
        let column = columns[index]
        guard Value.acceptedOIDs.contains(column.oid) else {
            throw DatabaseError(
                .decodingFailed,
                "column \(index) '\(column.name)' has type oid \(column.oid), cannot decode \(Value.self)"
            )
        }
        guard let text = values[index] else {
            if let null = Value.nullValue { return null }
            throw DatabaseError(.decodingFailed, "column \(index) '\(column.name)' is NULL, expected \(Value.self)")
        }
        guard let value = Value(postgresText: text) else {
            throw DatabaseError(.decodingFailed, "column \(index) '\(column.name)' is not a valid \(Value.self)")
        }
        return value
    }

    /// Decodes a column by name.
    package func decode<Value: PostgresDecodable>(_ type: Value.Type, named name: String) throws(DatabaseError) -> Value
    {
        try decode(type, at: index(of: name))
    }

    /// Decodes the leading columns as a tuple, in order; the row must have exactly that many columns.
    package func decode<each Value: PostgresDecodable>(
        _ types: (repeat each Value).Type
    ) throws(DatabaseError) -> (
        repeat each Value
    ) {
        var index = 0
        func next<Element: PostgresDecodable>(_ type: Element.Type) throws(DatabaseError) -> Element {
            defer { index += 1 }
            return try decode(Element.self, at: index)
        }
        let result = (repeat try next((each Value).self))
        guard index == columns.count else {
            throw DatabaseError(.decodingFailed, "row has \(columns.count) columns, decoded \(index)")
        }
        return result
    }

    /// Decodes the columns `columns` as a tuple, in order (for rows wider than one tuple can comfortably be).
    package func decode<each Value: PostgresDecodable>(
        _ types: (repeat each Value).Type,
        columns range: Range<Int>
    ) throws(DatabaseError) -> (
        repeat each Value
    ) {
        var index = range.lowerBound
        func next<Element: PostgresDecodable>(_ type: Element.Type) throws(DatabaseError) -> Element {
            defer { index += 1 }
            return try decode(Element.self, at: index)
        }
        let result = (repeat try next((each Value).self))
        guard index == range.upperBound else {
            throw DatabaseError(.decodingFailed, "columns \(range) decoded as \(index - range.lowerBound) values")
        }
        return result
    }

    private func index(of name: String) throws(DatabaseError) -> Int {
        guard let index = columns.firstIndex(where: { $0.name == name }) else {
            throw DatabaseError(.decodingFailed, "no column named '\(name)'")
        }
        return index
    }
}
