import Synchronization

/// Counters kept by a server; read at any time from any thread (Prometheus `/metrics`).
package final class HTTPServerMetrics: Sendable {
    private let statusCounts = Mutex<[Int: Int]>([:])
    private let handshakeFailures = Mutex<[String: Int]>([:])
    private let openConnections = Atomic<Int>(0)
    private let acceptedConnections = Atomic<Int>(0)
    private let rejectedConnections = Atomic<Int>(0)
    private let rejectedPerAddress = Atomic<Int>(0)
    private let acceptPauses = Atomic<Int>(0)
    private let acceptPauseEpisodes = Atomic<Int>(0)

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

    /// A connection over the per-address cap was closed; it also counts in ``totalRejected``.
    func connectionRejectedPerAddress() {
        rejectedPerAddress.add(1, ordering: .relaxed)
        rejectedConnections.add(1, ordering: .relaxed)
    }

    /// The listener stopped being watched after a failed `accept`; `startsEpisode` on the first pause of an outage.
    func acceptPaused(startsEpisode: Bool) {
        acceptPauses.add(1, ordering: .relaxed)
        if startsEpisode { acceptPauseEpisodes.add(1, ordering: .relaxed) }
    }

    /// Responses sent, by status code.
    package var responses: [Int: Int] { statusCounts.withLock { $0 } }
    /// Failed TLS handshakes, by reason (`timeout`, `unrecognized_name`, `protocol`, …).
    package var handshakeFailuresByReason: [String: Int] { handshakeFailures.withLock { $0 } }
    package var currentConnections: Int { openConnections.load(ordering: .relaxed) }
    package var totalAccepted: Int { acceptedConnections.load(ordering: .relaxed) }
    /// Connections closed at accept by a cap: the server's or the per-address one.
    package var totalRejected: Int { rejectedConnections.load(ordering: .relaxed) }
    /// Connections closed at accept because their client already had its share (``HTTPServerConfiguration/maxConnectionsPerAddress``).
    package var totalRejectedPerAddress: Int { rejectedPerAddress.load(ordering: .relaxed) }
    /// Times a listener stopped accepting for a while because `accept` failed (out of descriptors, memory, …).
    package var totalAcceptPauses: Int { acceptPauses.load(ordering: .relaxed) }
    /// Outages of `accept`: runs of pauses, each ended by the next accepted connection.
    package var totalAcceptPauseEpisodes: Int { acceptPauseEpisodes.load(ordering: .relaxed) }
}
