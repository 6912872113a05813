import Synchronization

/// Counters kept by a server; read at any time from any thread (Prometheus `/metrics`).
package final class HTTPServerMetrics: Sendable {
    private let statusCounts = Mutex<[Int: Int]>([:])
    private let handshakeFailures = Mutex<[String: Int]>([:])
    private let openConnections = Atomic<Int>(0)
    private let acceptedConnections = Atomic<Int>(0)
    private let rejectedConnections = Atomic<Int>(0)

    package init() {}

    func recordResponse(status: Int) {
        statusCounts.withLock { $0[status, default: 0] += 1 }
    }

    func recordHandshakeFailure(_ reason: String) {
        handshakeFailures.withLock { $0[reason, default: 0] += 1 }
    }

    func connectionOpened() -> Int {
        acceptedConnections.add(1, ordering: .relaxed)
        return openConnections.add(1, ordering: .relaxed).newValue
    }

    func connectionClosed() {
        openConnections.subtract(1, ordering: .relaxed)
    }

    func connectionRejected() {
        rejectedConnections.add(1, ordering: .relaxed)
    }

    /// Responses sent, by status code.
    package var responses: [Int: Int] { statusCounts.withLock { $0 } }
    /// Failed TLS handshakes, by reason (`timeout`, `unrecognized_name`, `protocol`, …).
    package var handshakeFailuresByReason: [String: Int] { handshakeFailures.withLock { $0 } }
    package var currentConnections: Int { openConnections.load(ordering: .relaxed) }
    package var totalAccepted: Int { acceptedConnections.load(ordering: .relaxed) }
    package var totalRejected: Int { rejectedConnections.load(ordering: .relaxed) }
}
