import Database
import Synchronization

/// What a follower's database is: a primary, or a streaming replica and how far its replay is behind.
package struct ReplicaStatus: Sendable, Hashable {
    /// Whether the server is a hot standby (`pg_is_in_recovery()`).
    package var inRecovery: Bool
    /// Seconds between now and the commit time of the last transaction the replica replayed; nil on a
    /// primary or before the first replayed transaction. It also grows while the primary commits nothing.
    package var replayLag: Double?

    package init(inRecovery: Bool, replayLag: Double?) {
        self.inRecovery = inRecovery
        self.replayLag = replayLag
    }
}

/// Waits for `NOTIFY` on ``ChangeLogRepository/channel`` over a dedicated connection of its own: how edges
/// and the worker's scheduler learn of a change without polling.
///
/// `NOTIFY` is not replicated and a hot standby refuses `LISTEN`: on a replica (`MTASTS_DATABASE_READ_URL`)
/// every wait simply lasts its timeout, so the follower reads the change log once per poll interval, and
/// each wait refreshes ``replicaStatus`` (replay lag). A replica promoted to primary is noticed on the next
/// wait and listened on from then.
///
/// The connection is opened on the first wait and again after it broke. ``cancel()`` ends the current and
/// every later wait at once, from any thread, so a stopping follower never waits out its timeout.
///
/// ```swift
/// let listener = try ChangeListener(connectionString: url)
/// if try listener.wait(timeout: .milliseconds(500)) { /* read the change log */ }
/// ```
package final class ChangeListener: Sendable {
    private struct Session {
        var connection: PostgresConnection
        var listening: Bool
    }

    private let connectionString: String
    private let session = Mutex<Session?>(nil)
    private let status = Mutex<ReplicaStatus?>(nil)
    private let cancellation: WaitCancellation

    /// A listener that connects on its first wait.
    /// - Throws: `DatabaseError` when the process is out of descriptors.
    package init(connectionString: String) throws {
        self.connectionString = connectionString
        cancellation = try WaitCancellation()
    }

    /// The server's role as of the last wait; nil before the first wait succeeded.
    package var replicaStatus: ReplicaStatus? { status.withLock { $0 } }

    /// Blocks until a change is notified, `timeout` passes, or the listener is cancelled.
    /// - Returns: whether a notification arrived (never on a replica).
    /// - Throws: `DatabaseError` when the database cannot be reached; the next wait reconnects.
    package func wait(timeout: Duration) throws -> Bool {
        guard !cancellation.isCancelled else { return false }
        do {
            let connection = try session.withLock { stored -> PostgresConnection in
                var current =
                    if let stored, stored.connection.isOpen {
                        stored
                    } else {
                        Session(
                            connection: try PostgresConnection(
                                connectionString: connectionString,
                                statementTimeout: .seconds(10)
                            ),
                            listening: false
                        )
                    }
                if !current.listening {
                    let replica = try Self.replicaStatus(on: current.connection)
                    status.withLock { $0 = replica }
                    if !replica.inRecovery {
                        try current.connection.listen(ChangeLogRepository.channel)
                        current.listening = true
                    }
                }
                stored = current
                return current.connection
            }
            return try !connection.waitForNotifications(timeout: timeout, cancellation: cancellation).isEmpty
        } catch {
            reset()
            throw error
        }
    }

    /// Drops the connection (after an error elsewhere), so the next wait reconnects.
    package func reset() {
        session.withLock { $0 = nil }
    }

    /// Ends the current and every later wait at once.
    package func cancel() {
        cancellation.cancel()
    }

    private static func replicaStatus(on connection: PostgresConnection) throws -> ReplicaStatus {
        let row = try AccountRepository.single(
            try connection.query(
                """
                SELECT pg_is_in_recovery(),
                       CASE WHEN pg_is_in_recovery()
                            THEN extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END
                """
            )
        )
        let (inRecovery, lag) = try row.decode((Bool, Double?).self)
        return ReplicaStatus(inRecovery: inRecovery, replayLag: lag.map { max(0, $0) })
    }
}
