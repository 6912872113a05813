import HTTPCore
import SystemIO

/// State every connection of one server reads: configuration, responder, counters, per-loop registries.
final class HTTPServerShared: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let execution: ResponderExecution
    let accessLog: (@Sendable (AccessLogEntry) -> Void)?
    let metrics = HTTPServerMetrics()
    private let registries: [ObjectIdentifier: ConnectionRegistry]

    init(
        configuration: HTTPServerConfiguration,
        responder: any HTTPResponder,
        execution: ResponderExecution,
        accessLog: (@Sendable (AccessLogEntry) -> Void)?,
        loops: [EventLoop]
    ) {
        self.configuration = configuration
        self.responder = responder
        self.execution = execution
        self.accessLog = accessLog
        var registries: [ObjectIdentifier: ConnectionRegistry] = [:]
        for loop in loops { registries[ObjectIdentifier(loop)] = ConnectionRegistry() }
        self.registries = registries
    }

    func registry(for loop: EventLoop) -> ConnectionRegistry? {
        registries[ObjectIdentifier(loop)]
    }
}

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
