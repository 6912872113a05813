import DNS
import Dispatch
import Logging
import Synchronization

/// What every listener and connection of one server shares across loops: the responder, the limits, the rate
/// limiter, the counters and the shutdown signal.
final class DNSServerShared: Sendable {
    let responder: AuthoritativeResponder
    let configuration: AuthoritativeDNSServerConfiguration
    let metrics = DNSServerMetrics()
    let logger: Logger
    /// Monotonic nanoseconds for the rate limiter (injected so tests can stop time).
    let now: @Sendable () -> UInt64
    /// One limiter for all loops: with `SO_REUSEPORT` one client's datagrams can reach every loop's socket.
    let rateLimiter: Mutex<ResponseRateLimiter>
    /// Set when a shutdown starts; the last connection to close then signals ``drained``.
    let isShuttingDown = Atomic<Bool>(false)
    /// Signalled when the open connection count reaches zero during a shutdown.
    let drained = DispatchSemaphore(value: 0)

    init(
        responder: AuthoritativeResponder,
        configuration: AuthoritativeDNSServerConfiguration,
        logger: Logger,
        now: @escaping @Sendable () -> UInt64
    ) {
        self.responder = responder
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.rateLimiter = Mutex(ResponseRateLimiter(configuration: configuration.rateLimit))
    }

    /// Counts a closed connection and signals ``drained`` when it was the last one during a shutdown.
    func connectionClosed(_ reason: DNSTCPConnectionStateMachine.CloseReason) {
        let open = metrics.tcpConnectionClosed(reason)
        if open == 0 && isShuttingDown.load(ordering: .acquiring) {
            drained.signal()
        }
    }
}
