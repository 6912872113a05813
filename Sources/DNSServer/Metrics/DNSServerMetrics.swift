import DNS
import Synchronization

/// Counters of an ``AuthoritativeDNSServer``, safe to update from every event loop and to read from any thread.
///
/// Label sets are fixed and small, so a flood of odd query types cannot create new series: QTYPEs outside
/// ``queryTypeLabels`` count as `other`, a query without a readable question as `none`.
///
/// ```swift
/// metrics.recordQuery(over: .udp, type: .txt)
/// let text = metrics.prometheusText()   // "mtasts_dns_queries_total{transport=\"udp\",qtype=\"TXT\"} 1\n…"
/// ```
package final class DNSServerMetrics: Sendable {
    /// The QTYPE label values, in the order they are rendered.
    static let queryTypeLabels = [
        "A", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "AAAA", "SRV", "DS", "RRSIG", "DNSKEY", "SVCB", "HTTPS", "CAA",
        "IXFR", "AXFR", "ANY", "other", "none",
    ]
    /// The RCODE label values, in the order they are rendered.
    static let responseCodeLabels = [
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "BADVERS", "other",
    ]

    /// Everything counted under the lock.
    struct Counts {
        /// Indexed by transport, then QTYPE label.
        var queries = [[Int]](repeating: [Int](repeating: 0, count: queryTypeLabels.count), count: 2)
        /// Indexed by transport, then RCODE label.
        var responses = [[Int]](repeating: [Int](repeating: 0, count: responseCodeLabels.count), count: 2)
        var truncated = 0
        var rateLimitedDropped = 0
        var rateLimitedSlipped = 0
        var unansweredShort = 0
        var unansweredResponses = 0
        var udpSendFailures = 0
        var tcpAccepted = 0
        var tcpRefused = 0
        /// Indexed like `DNSTCPConnectionStateMachine.CloseReason.allCases`.
        var tcpClosed = [Int](repeating: 0, count: DNSTCPConnectionStateMachine.CloseReason.allCases.count)
    }

    private let counts = Mutex(Counts())
    private let openConnections = Atomic<Int>(0)

    /// Creates zeroed counters.
    package init() {}

    // MARK: - Recording

    /// Counts one received message by transport and QTYPE (nil: no readable question).
    func recordQuery(over transport: DNSServerTransport, type: DNSRecordType?) {
        let column = Self.queryTypeIndex(type)
        counts.withLock { $0.queries[Self.transportIndex(transport)][column] += 1 }
    }

    /// Counts one response sent: by transport and RCODE, and as truncated when TC was set because it did not fit
    /// (`isSlip` marks a rate limiter's slip, which is counted by ``recordRateLimited(_:)`` instead).
    func recordResponse(_ response: AuthoritativeResponse, over transport: DNSServerTransport, isSlip: Bool) {
        let column = Self.responseCodeIndex(response.responseCode)
        counts.withLock { counts in
            counts.responses[Self.transportIndex(transport)][column] += 1
            if response.isTruncated && !isSlip {
                counts.truncated += 1
            }
        }
    }

    /// Counts a message that got no response at all.
    func recordUnanswered(_ reason: AuthoritativeResponder.DropReason) {
        counts.withLock { counts in
            switch reason {
            case .shorterThanHeader: counts.unansweredShort += 1
            case .notAQuery: counts.unansweredResponses += 1
            }
        }
    }

    /// Counts a UDP response the rate limiter dropped or slipped (``ResponseRateLimiter/Decision/respond`` is not
    /// counted here).
    func recordRateLimited(_ decision: ResponseRateLimiter.Decision) {
        counts.withLock { counts in
            switch decision {
            case .respond: break
            case .slip: counts.rateLimitedSlipped += 1
            case .drop: counts.rateLimitedDropped += 1
            }
        }
    }

    /// Counts a UDP response the kernel would not take (send buffer full, unreachable destination).
    func recordSendFailure() {
        counts.withLock { $0.udpSendFailures += 1 }
    }

    /// Reserves a slot for a connection just accepted and returns how many are open with it.
    func reserveTCPConnection() -> Int {
        openConnections.add(1, ordering: .relaxed).newValue
    }

    /// Counts a reserved connection as accepted (within the cap).
    func tcpConnectionAccepted() {
        counts.withLock { $0.tcpAccepted += 1 }
    }

    /// Gives back the slot of a connection over the cap and counts it as refused.
    func tcpConnectionRefused() {
        openConnections.subtract(1, ordering: .relaxed)
        counts.withLock { $0.tcpRefused += 1 }
    }

    /// Counts a closed TCP connection and returns how many stay open.
    @discardableResult
    func tcpConnectionClosed(_ reason: DNSTCPConnectionStateMachine.CloseReason) -> Int {
        let index = DNSTCPConnectionStateMachine.CloseReason.allCases.firstIndex(of: reason) ?? 0
        counts.withLock { $0.tcpClosed[index] += 1 }
        return openConnections.subtract(1, ordering: .relaxed).newValue
    }

    // MARK: - Reading

    /// Open TCP connections.
    package var openTCPConnections: Int { openConnections.load(ordering: .relaxed) }

    /// A copy of every counter.
    var snapshot: Counts { counts.withLock { $0 } }

    // MARK: - Labels

    static func transportIndex(_ transport: DNSServerTransport) -> Int {
        transport == .udp ? 0 : 1
    }

    static func queryTypeIndex(_ type: DNSRecordType?) -> Int {
        guard let type else { return queryTypeLabels.count - 1 }
        let index: Int? =
            switch type.rawValue {
            case 1: 0
            case 2: 1
            case 5: 2
            case 6: 3
            case 12: 4
            case 15: 5
            case 16: 6
            case 28: 7
            case 33: 8
            case 43: 9
            case 46: 10
            case 48: 11
            case 64: 12
            case 65: 13
            case 257: 14
            case 251: 15
            case 252: 16
            case 255: 17
            default: nil
            }
        return index ?? queryTypeLabels.count - 2
    }

    static func responseCodeIndex(_ code: DNSResponseCode) -> Int {
        switch code.rawValue {
        case 0...5: Int(code.rawValue)
        case 16: 6
        default: responseCodeLabels.count - 1
        }
    }
}
