import Foundation

/// A fixed-size pool of connections shared by threads.
///
/// Connections are leased only inside `withConnection { }` or `withTransaction { }` and always returned,
/// also when the body throws. A connection that was idle for longer than `healthCheckAfterIdle` is checked
/// with an empty query before it is handed out, and replaced when the server has gone away (for example after
/// a PostgreSQL restart). A connection that failed during a lease is discarded, never returned to the pool.
///
/// `@unchecked Sendable`: all mutable state (`idle`, `openCount`, `isClosed`) is guarded by `condition`.
///
/// ```swift
/// let pool = PostgresPool(configuration: .init(connectionString: url))
/// let count = try pool.withConnection { try $0.query("SELECT count(*) FROM domains").first?.decode(Int.self, at: 0) }
/// ```
package final class PostgresPool: @unchecked Sendable {
    /// How the pool connects and how many connections it may hold.
    package struct Configuration: Sendable {
        package var connectionString: String
        package var maxConnections: Int
        package var acquireTimeout: Duration
        package var healthCheckAfterIdle: Duration
        package var statementTimeout: Duration?

        package init(
            connectionString: String,
            maxConnections: Int = 8,
            acquireTimeout: Duration = .seconds(5),
            healthCheckAfterIdle: Duration = .seconds(2),
            statementTimeout: Duration? = .seconds(30)
        ) {
            self.connectionString = connectionString
            self.maxConnections = max(1, maxConnections)
            self.acquireTimeout = acquireTimeout
            self.healthCheckAfterIdle = healthCheckAfterIdle
            self.statementTimeout = statementTimeout
        }
    }

    /// Counts for metrics and tests.
    package struct Statistics: Sendable, Equatable {
        package var open: Int
        package var idle: Int
        package var leased: Int { open - idle }
    }

    package let configuration: Configuration
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var openCount = 0
    private var isClosed = false

    package init(configuration: Configuration) {
        self.configuration = configuration
    }

    deinit {
        close()
    }

    /// The current number of open and idle connections.
    package var statistics: Statistics {
        condition.lock()
        defer { condition.unlock() }
        return Statistics(open: openCount, idle: idle.count)
    }

    /// Leases a connection for the duration of `body`.
    /// - Throws: `poolTimeout` when no connection frees up within `acquireTimeout`, `connectionFailed` when the
    ///   server cannot be reached, or whatever `body` throws.
    @discardableResult
    package func withConnection<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        let connection = try acquire()
        defer { release(connection) }
        do {
            return try body(connection)
        } catch let error as DatabaseError where error.invalidatesConnection {
            // The server went away (a restart, a failover): every idle connection points at it too. Dropping
            // them makes the next lease connect afresh, to the promoted server with a multi-host string.
            discardIdle()
            throw error
        }
    }

    /// Leases a connection and runs `body` in a transaction on it (rolled back when `body` throws).
    @discardableResult
    package func withTransaction<Result>(
        isolation: String = "READ COMMITTED",
        _ body: (PostgresConnection) throws -> Result
    ) throws -> Result {
        try withConnection { connection in
            try connection.withTransaction(isolation: isolation, body)
        }
    }

    /// Closes idle connections and refuses new leases; leased connections close when returned.
    package func close() {
        condition.lock()
        isClosed = true
        condition.unlock()
        discardIdle()
    }

    // MARK: - Leasing

    private func acquire() throws(DatabaseError) -> PostgresConnection {
        let deadline = Date().addingTimeInterval(Self.seconds(configuration.acquireTimeout))
        condition.lock()
        while true {
            if isClosed {
                condition.unlock()
                throw DatabaseError(.poolClosed, "the connection pool is closed")
            }
            if let connection = idle.popLast() {
                condition.unlock()
                return try checked(connection)
            }
            if openCount < configuration.maxConnections {
                openCount += 1
                condition.unlock()
                return try connectCountingFailure()
            }
            if !condition.wait(until: deadline) {
                condition.unlock()
                throw DatabaseError(
                    .poolTimeout,
                    "no database connection free within \(configuration.acquireTimeout)"
                )
            }
        }
    }

    /// Hands out an idle connection after checking it, or a replacement when the server went away.
    private func checked(_ connection: PostgresConnection) throws(DatabaseError) -> PostgresConnection {
        let idleFor = ContinuousClock.now - connection.lastUsed
        if connection.isOpen && idleFor < configuration.healthCheckAfterIdle { return connection }
        if connection.isOpen, (try? connection.executeSimple("")) != nil, connection.isOpen { return connection }
        return try connectCountingFailure()
    }

    private func connectCountingFailure() throws(DatabaseError) -> PostgresConnection {
        do {
            return try PostgresConnection(
                connectionString: configuration.connectionString,
                statementTimeout: configuration.statementTimeout
            )
        } catch {
            condition.lock()
            openCount -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func discardIdle() {
        condition.lock()
        let closing = idle
        idle.removeAll()
        openCount -= closing.count
        condition.broadcast()
        condition.unlock()
        _ = closing
    }

    private func release(_ connection: PostgresConnection) {
        condition.lock()
        defer {
            condition.signal()
            condition.unlock()
        }
        if !isClosed && connection.isOpen && !connection.isInTransaction {
            idle.append(connection)
        } else {
            openCount -= 1
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
