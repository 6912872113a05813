/// A SQL statement with its parameters kept apart from the text.
///
/// Interpolated values become `$1`, `$2`, … binds; nothing a caller interpolates is ever spliced into the SQL.
/// Raw SQL fragments (identifiers chosen by the program, never by users) need the explicit `unsafeSQL:` label.
///
/// ```swift
/// let query: PostgresQuery = "SELECT id FROM accounts WHERE lower(email) = lower(\(email))"
/// ```
package struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    /// The SQL text with `$n` placeholders.
    package private(set) var sql: String
    /// The bind values in text format; `nil` is SQL NULL.
    package private(set) var binds: [PostgresBind]

    package init(unsafeSQL sql: String, binds: [PostgresBind] = []) {
        self.sql = sql
        self.binds = binds
    }

    package init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    package init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    /// Builds the SQL and its binds while a query literal is interpolated.
    package struct StringInterpolation: StringInterpolationProtocol {
        package var sql = ""
        package var binds: [PostgresBind] = []

        package init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        package mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Appends a value as the next `$n` bind, with an explicit cast when the type needs one.
        package mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
            if let cast = type(of: value).postgresCast { sql += "::\(cast)" }
        }

        /// Appends an optional value; `nil` binds SQL NULL.
        package mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value?.postgresBind ?? PostgresBind(nil))
            sql += "$\(binds.count)"
            if let cast = Value.postgresCast { sql += "::\(cast)" }
        }

        /// Appends program-controlled SQL text verbatim. Never pass user input here.
        package mutating func appendInterpolation(unsafeSQL fragment: String) {
            sql += fragment
        }
    }
}

/// One parameter in PostgreSQL's text format.
package struct PostgresBind: Sendable, Equatable {
    /// The value's text representation; `nil` is SQL NULL.
    package let text: String?

    package init(_ text: String?) {
        self.text = text
    }
}
