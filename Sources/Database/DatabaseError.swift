/// An error from the database layer.
///
/// `description` is safe to log: it never contains bind values, passwords or connection strings.
/// The server's own message (which may quote values) is only in `debugDescription`.
package struct DatabaseError: Error, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    package enum Code: String, Sendable {
        case connectionFailed
        case connectionLost
        case queryFailed
        case uniqueViolation
        case foreignKeyViolation
        case checkViolation
        case serializationFailure
        case statementTimeout
        case decodingFailed
        case poolTimeout
        case poolClosed
        case migrationRefused
        case clusterFailed
        case invalidConfiguration
    }

    /// What went wrong, as a closed set callers can switch over.
    package let code: Code
    /// A short explanation that is safe to log.
    package let message: String
    /// The SQLSTATE reported by PostgreSQL, when there is one.
    package let sqlState: String?
    /// The constraint named by PostgreSQL for integrity violations.
    package let constraint: String?
    /// The full server message; may contain values, so it is kept out of `description`.
    package let serverDetail: String?
    package let file: String
    package let line: Int

    package init(
        _ code: Code,
        _ message: String,
        sqlState: String? = nil,
        constraint: String? = nil,
        serverDetail: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.constraint = constraint
        self.serverDetail = serverDetail
        self.file = file
        self.line = line
    }

    package static func == (lhs: DatabaseError, rhs: DatabaseError) -> Bool { lhs.code == rhs.code }

    package var description: String {
        var text = "database error \(code.rawValue): \(message)"
        if let sqlState { text += " (sqlstate \(sqlState))" }
        if let constraint { text += " constraint=\(constraint)" }
        return text
    }

    package var debugDescription: String {
        "\(description) at \(file):\(line)" + (serverDetail.map { " server: \($0)" } ?? "")
    }

    /// Whether the connection that produced this error must be thrown away.
    package var invalidatesConnection: Bool { code == .connectionLost || code == .connectionFailed }

    /// Maps a SQLSTATE to the error code callers care about.
    static func code(forSQLState state: String?) -> Code {
        switch state {
        case "23505": .uniqueViolation
        case "23503": .foreignKeyViolation
        case "23514": .checkViolation
        case "40001", "40P01": .serializationFailure
        case "57014": .statementTimeout
        case let state? where state.hasPrefix("08") || state == "57P01" || state == "57P02" || state == "57P03":
            .connectionLost
        default: .queryFailed
        }
    }
}
