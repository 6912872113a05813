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
