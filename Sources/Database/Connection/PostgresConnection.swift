internal import CLibPQ
import Foundation

/// One libpq connection: the single owner of its `PGconn`, closed in `deinit`.
///
/// Every statement goes through `PQexecParams` with text-format binds; SQL text never contains values.
/// A connection is used by one thread at a time. It is `@unchecked Sendable` because ownership moves
/// between threads only through `PostgresPool`, whose lock hands each connection to one lease at a time.
///
/// ```swift
/// let connection = try PostgresConnection(connectionString: "host=/tmp/pg user=postgres dbname=mtasts")
/// let rows = try connection.query("SELECT name FROM domains WHERE account_id = \(accountID)")
/// ```
package final class PostgresConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    /// When the connection last finished a statement, used by the pool's health check.
    package private(set) var lastUsed: ContinuousClock.Instant
    /// Set once an error showed that the server or socket is gone.
    package private(set) var isBroken = false
    private var transactionDepth = 0

    /// Opens a connection.
    /// - Parameters:
    ///   - connectionString: a `postgresql://` URL or a libpq key/value string; `sslmode` and every other
    ///     libpq parameter are honoured as libpq documents them.
    ///   - statementTimeout: a server-side limit for every statement, or nil for none.
    ///   - connectTimeoutSeconds: used unless the string sets `connect_timeout` itself.
    /// - Throws: `DatabaseError.connectionFailed` with libpq's reason (no password is ever included).
    package init(
        connectionString: String,
        statementTimeout: Duration? = .seconds(30),
        connectTimeoutSeconds: Int = 5
    ) throws(DatabaseError) {
        // Keywords listed before the expanded `dbname` are defaults that the caller's string overrides.
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = [String(connectTimeoutSeconds), "mtasts", connectionString]
        let connection = keywords.withCStringArray { keywordPointers in
            values.withCStringArray { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw DatabaseError(.connectionFailed, "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.connectionErrorMessage(connection)
            PQfinish(connection)
            throw DatabaseError(.connectionFailed, "could not connect: \(reason)")
        }
        // libpq prints server NOTICEs to stderr by default; they are not errors, so drop them.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        lastUsed = .now
        var settings = "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'; SET IntervalStyle TO 'iso_8601'"
        if let statementTimeout {
            let milliseconds =
                statementTimeout.components.seconds * 1000
                + statementTimeout.components.attoseconds / 1_000_000_000_000_000
            settings += "; SET statement_timeout TO \(milliseconds)"
        }
        try executeSimple(settings)
    }

    deinit {
        PQfinish(handle)
    }

    /// Whether libpq still considers the connection usable.
    package var isOpen: Bool { !isBroken && PQstatus(handle) == CONNECTION_OK }

    /// The server's major version number, e.g. 15.
    package var serverMajorVersion: Int { Int(PQserverVersion(handle)) / 10000 }

    /// Runs one parameterised statement and returns its rows.
    /// - Throws: `DatabaseError` mapped from the SQLSTATE (unique, foreign key, check, timeout, connection lost…).
    @discardableResult
    package func query(_ query: PostgresQuery) throws(DatabaseError) -> PostgresRows {
        defer { lastUsed = .now }
        let result = query.binds.map(\.text).withOptionalCStringArray { pointers in
            PQexecParams(handle, query.sql, Int32(query.binds.count), nil, pointers, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Runs one parameterised statement and hands `body` each row as it arrives (libpq's single-row mode),
    /// so a large result is never resident whole: only the row being decoded is.
    ///
    /// When `body` throws, the rest of the result is read and dropped so the connection stays usable, and
    /// the error is rethrown.
    /// - Throws: `DatabaseError` as ``query(_:)`` does, or whatever `body` throws.
    package func forEachRow(_ query: PostgresQuery, _ body: (PostgresRow) throws -> Void) throws {
        defer { lastUsed = .now }
        let sent = query.binds.map(\.text).withOptionalCStringArray { pointers in
            PQsendQueryParams(handle, query.sql, Int32(query.binds.count), nil, pointers, nil, nil, 0)
        }
        guard sent == 1 else {
            markBrokenIfNeeded()
            throw DatabaseError(
                isBroken ? .connectionLost : .queryFailed,
                "could not send the statement",
                serverDetail: Self.connectionErrorMessage(handle)
            )
        }
        PQsetSingleRowMode(handle)
        var columns: [PostgresRows.Column]?
        var failure: (any Error)?
        // libpq returns one result per row, then the final status, then nil; every one must be read.
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            guard failure == nil else { continue }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK:
                // The final TUPLES_OK of single-row mode has no rows; it holds them all if the mode was refused.
                let rowColumns = columns ?? Self.columns(of: result)
                columns = rowColumns
                for row in 0..<Int(PQntuples(result)) where failure == nil {
                    do {
                        try body(PostgresRow(columns: rowColumns, values: Self.values(of: result, row: row)))
                    } catch {
                        failure = error
                    }
                }
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                break
            default:
                failure = error(from: result)
            }
        }
        if let failure { throw failure }
    }

    /// Runs a statement and returns the number of rows it changed.
    @discardableResult
    package func execute(_ query: PostgresQuery) throws(DatabaseError) -> Int {
        try self.query(query).affectedRows
    }

    /// Runs program-controlled SQL that may contain several statements (migrations, settings); no binds.
    package func executeSimple(_ sql: String) throws(DatabaseError) {
        defer { lastUsed = .now }
        _ = try consume(PQexec(handle, sql))
    }

    /// Runs `body` inside a transaction: committed when it returns, rolled back when it throws.
    ///
    /// Nested calls use savepoints, so an inner failure rolls back only the inner work.
    @discardableResult
    package func withTransaction<Result>(
        isolation: String = "READ COMMITTED",
        _ body: (PostgresConnection) throws -> Result
    ) throws -> Result {
        let savepoint = "mtasts_sp_\(transactionDepth)"
        if transactionDepth == 0 {
            try executeSimple("BEGIN ISOLATION LEVEL \(isolation)")
        } else {
            try executeSimple("SAVEPOINT \(savepoint)")
        }
        transactionDepth += 1
        do {
            let result = try body(self)
            transactionDepth -= 1
            try executeSimple(transactionDepth == 0 ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint)")
            return result
        } catch {
            transactionDepth -= 1
            if isOpen {
                try? executeSimple(transactionDepth == 0 ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT \(savepoint)")
            }
            throw error
        }
    }

    /// Whether this connection is inside `withTransaction`, or the server says a transaction is open
    /// (for example one begun with a plain `BEGIN` and never finished).
    package var isInTransaction: Bool { transactionDepth > 0 || PQtransactionStatus(handle) != PQTRANS_IDLE }

    // MARK: - Results

    private func consume(_ result: OpaquePointer?) throws(DatabaseError) -> PostgresRows {
        guard let result else {
            markBrokenIfNeeded()
            throw DatabaseError(
                isBroken ? .connectionLost : .queryFailed,
                "no result from server",
                serverDetail: Self.connectionErrorMessage(handle)
            )
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(columns: [], values: [], affectedRows: Self.affectedRows(result))
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
            return Self.materialise(result)
        default:
            throw error(from: result)
        }
    }

    /// The error a failed result reports, mapped from its SQLSTATE.
    private func error(from result: OpaquePointer) -> DatabaseError {
        let sqlState = Self.field(result, DiagnosticField.sqlState)
        markBrokenIfNeeded()
        let code = isBroken ? .connectionLost : DatabaseError.code(forSQLState: sqlState)
        let primary = Self.field(result, DiagnosticField.messagePrimary) ?? Self.connectionErrorMessage(handle)
        return DatabaseError(
            code,
            Self.safeSummary(code: code, sqlState: sqlState),
            sqlState: sqlState,
            constraint: Self.field(result, DiagnosticField.constraintName),
            serverDetail: primary
        )
    }

    private func markBrokenIfNeeded() {
        if PQstatus(handle) != CONNECTION_OK { isBroken = true }
    }

    private static func safeSummary(code: DatabaseError.Code, sqlState: String?) -> String {
        switch code {
        case .uniqueViolation: "unique constraint violated"
        case .foreignKeyViolation: "foreign key constraint violated"
        case .checkViolation: "check constraint violated"
        case .serializationFailure: "transaction could not be serialised"
        case .statementTimeout: "statement timed out"
        case .connectionLost: "connection to the server was lost"
        default: "statement failed"
        }
    }

    private static func materialise(_ result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        var values: [[String?]] = []
        values.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            values.append(Self.values(of: result, row: row))
        }
        return PostgresRows(columns: columns(of: result), values: values, affectedRows: affectedRows(result))
    }

    private static func columns(of result: OpaquePointer) -> [PostgresRows.Column] {
        let columnCount = Int(PQnfields(result))
        var columns: [PostgresRows.Column] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            let name = PQfname(result, Int32(column)).map { String(cString: $0) } ?? "?column?"
            columns.append(PostgresRows.Column(name: name, oid: UInt32(PQftype(result, Int32(column)))))
        }
        return columns
    }

    /// Row `row`'s values as text, nil for NULL.
    private static func values(of result: OpaquePointer, row: Int) -> [String?] {
        let columnCount = Int(PQnfields(result))
        var values: [String?] = []
        values.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                values.append(nil)
            } else {
                values.append(PQgetvalue(result, Int32(row), Int32(column)).map { String(cString: $0) })
            }
        }
        return values
    }

    private static func affectedRows(_ result: OpaquePointer) -> Int {
        guard let text = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    private static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
    }

    static func connectionErrorMessage(_ connection: OpaquePointer) -> String {
        guard let message = PQerrorMessage(connection) else { return "unknown error" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - Notifications

    /// The socket, for waiting on notifications.
    var socket: Int32 { PQsocket(handle) }

    /// Reads whatever the server sent and returns the queued notifications.
    func drainNotifications() throws(DatabaseError) -> [PostgresNotification] {
        guard PQconsumeInput(handle) == 1 else {
            markBrokenIfNeeded()
            throw DatabaseError(
                .connectionLost,
                "could not read from the server",
                serverDetail: Self.connectionErrorMessage(handle)
            )
        }
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            let channel = String(cString: notify.pointee.relname)
            let payload = String(cString: notify.pointee.extra)
            notifications.append(
                PostgresNotification(channel: channel, payload: payload, processID: notify.pointee.be_pid)
            )
            PQfreemem(notify)
        }
        return notifications
    }
}

/// libpq's `PG_DIAG_*` field codes: char-literal macros in `postgres_ext.h`, which Swift cannot import.
private enum DiagnosticField {
    static let sqlState = Int32(UInt8(ascii: "C"))
    static let messagePrimary = Int32(UInt8(ascii: "M"))
    static let constraintName = Int32(UInt8(ascii: "n"))
}

// MARK: - C string arrays

extension Array where Element == String {
    /// Calls `body` with a NULL-terminated-free array of C strings that live for the call.
    fileprivate func withCStringArray<Result>(_ body: ([UnsafePointer<CChar>?]) -> Result) -> Result {
        let duplicates = map { strdup($0) }
        defer { for pointer in duplicates { free(pointer) } }
        return body(duplicates.map { $0.map { UnsafePointer($0) } } + [nil])
    }
}

extension Array where Element == String? {
    fileprivate func withOptionalCStringArray<Result>(_ body: ([UnsafePointer<CChar>?]) -> Result) -> Result {
        let duplicates = map { $0.map { strdup($0) } ?? nil }
        defer { for pointer in duplicates { free(pointer) } }
        return body(duplicates.map { $0.map { UnsafePointer($0) } })
    }
}
