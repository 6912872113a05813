/// The open connections of one loop, so shutdown can drain them.
///
/// `@unchecked Sendable`: it is created once and then only touched on its own loop's thread (every caller runs
/// inside that loop's `execute` or handlers), so the set needs no lock.
final class ConnectionRegistry: @unchecked Sendable {
    private var connections: [ObjectIdentifier: HTTPServerConnection] = [:]

    func insert(_ connection: HTTPServerConnection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    func remove(_ connection: HTTPServerConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }

    func drainAll() {
        for connection in Array(connections.values) { connection.drain() }
    }

    func closeAll() {
        for connection in Array(connections.values) { connection.forceClose() }
    }
}
