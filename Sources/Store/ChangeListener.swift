import Database
import Synchronization

/// Waits for `NOTIFY` on ``ChangeLogRepository/channel`` over a dedicated connection of its own: how edges
/// and the worker's scheduler learn of a change without polling.
///
/// The connection is opened on the first wait and again after it broke. ``cancel()`` ends the current and
/// every later wait at once, from any thread, so a stopping follower never waits out its timeout.
///
/// ```swift
/// let listener = try ChangeListener(connectionString: url)
/// if try listener.wait(timeout: .milliseconds(500)) { /* read the change log */ }
/// ```
package final class ChangeListener: Sendable {
    private let connectionString: String
    private let connection = Mutex<PostgresConnection?>(nil)
    private let cancellation: WaitCancellation

    /// A listener that connects on its first wait.
    /// - Throws: `DatabaseError` when the process is out of descriptors.
    package init(connectionString: String) throws {
        self.connectionString = connectionString
        cancellation = try WaitCancellation()
    }

    /// Blocks until a change is notified, `timeout` passes, or the listener is cancelled.
    /// - Returns: whether a notification arrived.
    /// - Throws: `DatabaseError` when the database cannot be reached; the next wait reconnects.
    package func wait(timeout: Duration) throws -> Bool {
        guard !cancellation.isCancelled else { return false }
        let listening = try connection.withLock { stored -> PostgresConnection in
            if let stored, stored.isOpen { return stored }
            let opened = try PostgresConnection(connectionString: connectionString, statementTimeout: .seconds(10))
            try opened.listen(ChangeLogRepository.channel)
            stored = opened
            return opened
        }
        do {
            return try !listening.waitForNotifications(timeout: timeout, cancellation: cancellation).isEmpty
        } catch {
            reset()
            throw error
        }
    }

    /// Drops the connection (after an error elsewhere), so the next wait reconnects.
    package func reset() {
        connection.withLock { $0 = nil }
    }

    /// Ends the current and every later wait at once.
    package func cancel() {
        cancellation.cancel()
    }
}
