import Glibc
import Logging
import SystemIO

/// Accepts DNS-over-TCP connections on one listener on one loop and enforces the server-wide connection cap.
///
/// A connection over the cap is closed right after accept: the client sees the close at once and can try another
/// server, instead of waiting in a backlog. When accepting fails for want of descriptors (`EMFILE`, `ENFILE`), the
/// listener stops being watched for a moment; with level-triggered readiness the loop would otherwise spin on it.
final class DNSTCPAcceptor: EventHandler {
    /// Connections accepted per readable event.
    private static let batchSize = 64
    /// How long accepting pauses after running out of descriptors.
    private static let backoff = Duration.milliseconds(100)

    private let listener: ServerSocket
    private let context: DNSServerLoopContext
    private let shared: DNSServerShared
    private var isPaused = false

    init(listener: ServerSocket, context: DNSServerLoopContext, shared: DNSServerShared) {
        self.listener = listener
        self.context = context
        self.shared = shared
    }

    /// Accepts up to a batch of pending connections.
    func readable() {
        for _ in 0..<Self.batchSize {
            let accepted: IOResult<Socket>
            do {
                accepted = try listener.accept()
            } catch let error as SystemError where error.errno == EMFILE || error.errno == ENFILE {
                pause(error)
                return
            } catch {
                // ECONNABORTED and the like concern one connection only.
                continue
            }
            guard case .processed(let socket) = accepted else { return }
            admit(socket)
        }
    }

    /// Listeners are registered for readability only.
    func writable() {}

    /// Nothing to do for a listener.
    func hangup() {}

    private func admit(_ socket: Socket) {
        let metrics = shared.metrics
        guard metrics.reserveTCPConnection() <= shared.configuration.maximumTCPConnections else {
            metrics.tcpConnectionRefused()
            try? socket.close()
            return
        }
        metrics.tcpConnectionAccepted()
        try? socket.setNoDelay(true)
        let connection = DNSTCPConnection(socket: socket, context: context, shared: shared)
        do {
            try context.loop.register(connection, descriptor: socket.fileDescriptor, interest: .readable)
        } catch {
            shared.connectionClosed(.transportFailed)
            try? socket.close()
            return
        }
        context.insert(connection)
        connection.start()
    }

    private func pause(_ error: SystemError) {
        guard !isPaused else { return }
        isPaused = true
        shared.logger.warning("dns tcp accept paused", ["error": "\(error)"])
        let descriptor = listener.fileDescriptor
        try? context.loop.modify(descriptor: descriptor, interest: [])
        context.loop.scheduleTimer(after: Self.backoff) { [weak self] in
            guard let self, !self.listener.descriptor.isClosed else { return }
            self.isPaused = false
            try? self.context.loop.modify(descriptor: descriptor, interest: .readable)
        }
    }
}
