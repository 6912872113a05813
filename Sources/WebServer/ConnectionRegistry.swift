/// A connection a server shutdown can drain and then close.
protocol DrainableConnection: AnyObject {
    /// Closes the connection if it is idle, otherwise makes its current response the last one.
    func drain()
    /// Closes the connection now.
    func forceClose()
}

/// The open connections of one loop, so shutdown can drain them.
///
/// `@unchecked Sendable`: it is created once and then only touched on its own loop's thread (every caller runs
/// inside that loop's `execute` or handlers), so the set needs no lock.
final class ConnectionRegistry: @unchecked Sendable {
    private var connections: [ObjectIdentifier: any DrainableConnection] = [:]

    /// The number of open connections.
    var count: Int { connections.count }

    /// Adds an accepted connection.
    func insert(_ connection: any DrainableConnection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    /// Removes a connection that closed.
    func remove(_ connection: AnyObject) {
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Drains every connection (idle ones close at once).
    func drainAll() {
        for connection in Array(connections.values) { connection.drain() }
    }

    /// Closes every connection.
    func closeAll() {
        for connection in Array(connections.values) { connection.forceClose() }
    }
}
