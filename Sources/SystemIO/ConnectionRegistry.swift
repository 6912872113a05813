/// A connection a server shutdown can drain and then close.
package protocol DrainableConnection: AnyObject {
    /// Closes the connection if it is idle, otherwise lets its current exchange (a response, a delivery) be the
    /// last one.
    func drain()
    /// Closes the connection now.
    func forceClose()
}

/// The open connections of one loop, so shutdown can drain them.
///
/// `@unchecked Sendable`: it is created once and then only touched on its own loop's thread (every caller runs
/// inside that loop's `execute` or handlers), so the set needs no lock.
///
/// ```swift
/// registry.insert(connection)      // at accept
/// registry.remove(connection)      // at close
/// registry.drainAll()              // shutdown: stop accepting, then this
/// ```
package final class ConnectionRegistry: @unchecked Sendable {
    private var connections: [ObjectIdentifier: any DrainableConnection] = [:]

    /// Creates an empty registry.
    package init() {}

    /// The number of open connections.
    package var count: Int { connections.count }

    /// Adds an accepted connection.
    package func insert(_ connection: any DrainableConnection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    /// Removes a connection that closed.
    package func remove(_ connection: AnyObject) {
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Drains every connection (idle ones close at once).
    package func drainAll() {
        for connection in Array(connections.values) { connection.drain() }
    }

    /// Closes every connection.
    package func closeAll() {
        for connection in Array(connections.values) { connection.forceClose() }
    }
}
