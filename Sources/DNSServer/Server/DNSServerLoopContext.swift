import SystemIO

/// One loop's share of a server: the zone content that loop answers from, its receive buffer, and its listeners and
/// connections for shutdown.
///
/// `@unchecked Sendable`: created once by the server, then only touched on its own loop's thread (every access is
/// inside that loop's `execute` closures or its handlers), so it needs no lock; the content is read without one on
/// every query.
final class DNSServerLoopContext: @unchecked Sendable {
    /// The loop this context belongs to.
    let loop: EventLoop
    /// The content queries on this loop are answered from; replaced by ``AuthoritativeDNSServer/updateContent(_:)``.
    var content: any AuthoritativeZoneContent
    /// Where UDP datagrams and TCP reads land before they are copied out; 65536 bytes hold any UDP payload.
    var scratch = [UInt8](repeating: 0, count: 65536)
    /// The UDP sockets and TCP listeners registered on this loop.
    private var listenerDescriptors: [FileDescriptor] = []
    /// Open TCP connections on this loop.
    private var connections: [ObjectIdentifier: DNSTCPConnection] = [:]

    init(loop: EventLoop, content: any AuthoritativeZoneContent) {
        self.loop = loop
        self.content = content
    }

    /// Registers a UDP socket or TCP listener with its handler.
    func addListener(_ handler: any EventHandler, descriptor: FileDescriptor) throws {
        try loop.register(handler, descriptor: descriptor.rawValue, interest: .readable)
        listenerDescriptors.append(descriptor)
    }

    /// Tracks an accepted connection.
    func insert(_ connection: DNSTCPConnection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    /// Forgets a connection that closed.
    func remove(_ connection: DNSTCPConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Stops listening (UDP and TCP) and lets every connection finish what it has queued.
    func stopListeningAndDrain() {
        for descriptor in listenerDescriptors {
            try? loop.deregister(descriptor: descriptor.rawValue)
            try? descriptor.close()
        }
        listenerDescriptors.removeAll()
        for connection in Array(connections.values) {
            connection.drain()
        }
    }

    /// Closes every connection now.
    func closeAllConnections() {
        for connection in Array(connections.values) {
            connection.forceClose()
        }
    }
}
