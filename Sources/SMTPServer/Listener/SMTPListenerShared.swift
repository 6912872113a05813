import HTTPCore
import Logging
import SystemIO

/// State every connection of one listener reads: configuration, receiver, delivery pool, counters, per-loop
/// registries, the per-address connection counts and the logger.
final class SMTPListenerShared: Sendable {
    let configuration: SMTPListenerConfiguration
    let receiver: any SMTPMessageReceiver
    let deliveryPool: BlockingPool
    let metrics = SMTPListenerMetrics()
    /// The open connections per client, when the configuration caps them.
    let connectionsPerAddress: ConnectionsPerAddress<ClientAddress>?
    /// Where the listener logs; nil logs nothing.
    let logger: Logger?
    private let registries: [ObjectIdentifier: ConnectionRegistry]

    init(
        configuration: SMTPListenerConfiguration,
        receiver: any SMTPMessageReceiver,
        deliveryPool: BlockingPool,
        loops: [EventLoop],
        logger: Logger?
    ) {
        self.configuration = configuration
        self.receiver = receiver
        self.deliveryPool = deliveryPool
        self.logger = logger
        connectionsPerAddress = configuration.maxConnectionsPerAddress.map(ConnectionsPerAddress.init(limit:))
        var registries: [ObjectIdentifier: ConnectionRegistry] = [:]
        for loop in loops { registries[ObjectIdentifier(loop)] = ConnectionRegistry() }
        self.registries = registries
    }

    /// The open connections of `loop`.
    func registry(for loop: EventLoop) -> ConnectionRegistry? {
        registries[ObjectIdentifier(loop)]
    }

    /// Uncounts a connection that closed, or was dropped after it was counted.
    func connectionClosed(_ peer: SMTPConnectionPeer) {
        metrics.connectionClosed()
        if peer.holdsAddressSlot { connectionsPerAddress?.release(peer.address.limitPrefix) }
    }
}
