import HTTPCore
import Logging
import SystemIO

/// State every connection of one server reads: configuration, responder, counters, per-loop registries, the
/// per-address connection counts and the logger.
final class HTTPServerShared: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let execution: ResponderExecution
    let accessLog: AccessLog?
    let metrics = HTTPServerMetrics()
    /// The open connections per client, when the configuration caps them.
    let connectionsPerAddress: ConnectionsPerAddress<ClientAddress>?
    /// Where the server logs what operators must know (the listener pausing); nil logs nothing.
    let logger: Logger?
    private let registries: [ObjectIdentifier: ConnectionRegistry]

    init(
        configuration: HTTPServerConfiguration,
        responder: any HTTPResponder,
        execution: ResponderExecution,
        accessLog: AccessLog?,
        loops: [EventLoop],
        logger: Logger? = nil
    ) {
        self.configuration = configuration
        self.responder = responder
        self.execution = execution
        self.accessLog = accessLog
        self.logger = logger
        connectionsPerAddress = configuration.maxConnectionsPerAddress.map(ConnectionsPerAddress.init(limit:))
        var registries: [ObjectIdentifier: ConnectionRegistry] = [:]
        for loop in loops { registries[ObjectIdentifier(loop)] = ConnectionRegistry() }
        self.registries = registries
    }

    func registry(for loop: EventLoop) -> ConnectionRegistry? {
        registries[ObjectIdentifier(loop)]
    }

    /// Uncounts a connection that closed, or was dropped after it was counted.
    func connectionClosed(_ peer: ConnectionPeer) {
        metrics.connectionClosed()
        if peer.holdsAddressSlot { connectionsPerAddress?.release(peer.address.limitPrefix) }
    }
}
