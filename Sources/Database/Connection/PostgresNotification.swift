import Glibc

/// A `NOTIFY` received on a channel this connection listens to.
package struct PostgresNotification: Sendable, Equatable {
    package let channel: String
    package let payload: String
    package let processID: Int32
}

extension PostgresConnection {
    /// Starts listening on `channel`. Channel names are program constants: lower-case letters, digits, `_`.
    package func listen(_ channel: String) throws(DatabaseError) {
        try executeSimple("LISTEN \(try Self.validatedChannel(channel))")
    }

    /// Stops listening on `channel`.
    package func unlisten(_ channel: String) throws(DatabaseError) {
        try executeSimple("UNLISTEN \(try Self.validatedChannel(channel))")
    }

    /// Sends a notification; delivered when the surrounding transaction (if any) commits.
    package func notify(_ channel: String, payload: String = "") throws(DatabaseError) {
        try execute("SELECT pg_notify(\(try Self.validatedChannel(channel)), \(payload))")
    }

    /// Waits on the connection's socket (no polling loop) until notifications arrive, `timeout` passes or
    /// `cancellation` is cancelled.
    /// - Returns: the notifications received; empty on timeout or cancellation.
    /// - Throws: `connectionLost` when the server goes away while waiting.
    package func waitForNotifications(
        timeout: Duration,
        cancellation: WaitCancellation? = nil
    ) throws(DatabaseError) -> [PostgresNotification] {
        let pending = try drainNotifications()
        if !pending.isEmpty { return pending }
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero || cancellation?.isCancelled == true { return [] }
            let milliseconds = Int32(
                clamping: remaining.components.seconds * 1000
                    + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
            )
            var descriptors = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0)]
            if let cancellation {
                descriptors.append(pollfd(fd: cancellation.descriptor, events: Int16(POLLIN), revents: 0))
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw DatabaseError(.connectionLost, "poll on the database socket failed (errno \(errno))")
            }
            if ready == 0 { return [] }
            let notifications = try drainNotifications()
            if !notifications.isEmpty { return notifications }
            if descriptors[0].revents & Int16(POLLHUP | POLLERR) != 0 {
                throw DatabaseError(.connectionLost, "database socket closed while waiting for notifications")
            }
        }
    }

    private static func validatedChannel(_ channel: String) throws(DatabaseError) -> String {
        let valid =
            !channel.isEmpty && channel.utf8.count <= 63
            && channel.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
            && !(channel.utf8.first.map { $0 >= 48 && $0 <= 57 } ?? true)
        guard valid else {
            throw DatabaseError(.invalidConfiguration, "invalid notification channel name")
        }
        return channel
    }
}
