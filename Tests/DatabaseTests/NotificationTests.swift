import Database
import Foundation
import TestSupport
import Testing

@Suite struct NotificationTests {
    @Test func listenerWakesUpOnNotify() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let listener = try PostgresConnection(connectionString: url)
        try listener.listen("mtasts_changes")
        let sender = try PostgresConnection(connectionString: url)
        let thread = Thread {
            try? sender.withTransaction { connection in
                try connection.execute("SELECT 1")
                try connection.notify("mtasts_changes", payload: "42")
            }
        }
        thread.start()
        let notifications = try listener.waitForNotifications(timeout: .seconds(10))
        #expect(notifications.map(\.payload) == ["42"])
        #expect(notifications.first?.channel == "mtasts_changes")
    }

    @Test func notificationsInsideARolledBackTransactionAreNotDelivered() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let listener = try PostgresConnection(connectionString: url)
        try listener.listen("mtasts_changes")
        let sender = try PostgresConnection(connectionString: url)
        struct Abort: Error {}
        _ = try? sender.withTransaction { connection in
            try connection.notify("mtasts_changes", payload: "lost")
            throw Abort()
        }
        try sender.notify("mtasts_changes", payload: "kept")
        let notifications = try listener.waitForNotifications(timeout: .seconds(10))
        #expect(notifications.map(\.payload) == ["kept"])
    }

    @Test func waitingTimesOutWithNothing() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let listener = try PostgresConnection(connectionString: url)
        try listener.listen("quiet_channel")
        let started = ContinuousClock.now
        #expect(try listener.waitForNotifications(timeout: .milliseconds(300)).isEmpty)
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(290) && elapsed < .seconds(3))
    }

    @Test func invalidChannelNamesAreRefused() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let connection = try PostgresConnection(connectionString: url)
        for name in ["", "Upper", "x; DROP TABLE accounts", "1starts_with_digit", String(repeating: "a", count: 64)] {
            #expect(throws: DatabaseError(.invalidConfiguration, "")) { try connection.listen(name) }
        }
    }
}
