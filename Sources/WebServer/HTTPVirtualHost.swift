package import HTTPCore
package import SystemIO
import TLS

/// Server names (TLS SNI) whose connections a server hands to another responder, with their own parser limits,
/// on a blocking pool: how the edge's HTTPS listener also takes TLS reports for the reports host on the same
/// port, with request bodies the policy path never accepts and work that must not run on a loop.
///
/// A connection is routed once, when its handshake completes: every request on it goes to ``responder`` (its
/// `Host` header is the responder's to check). Other connections keep the server's limits and execution.
///
/// ```swift
/// let reports = HTTPVirtualHost(serverNames: ["reports.example.net"], limits: .init(bodyBytes: 4 << 20),
///                               responder: ReportHTTPResponder(…), pool: BlockingPool(threads: 2))
/// ```
package struct HTTPVirtualHost: Sendable {
    /// Lower-case names, no trailing dot.
    package var serverNames: Set<String>
    package var limits: HTTPParserLimits
    package var responder: any HTTPResponder
    package var pool: BlockingPool

    package init(serverNames: Set<String>, limits: HTTPParserLimits, responder: any HTTPResponder, pool: BlockingPool) {
        self.serverNames = Set(serverNames.map(HostName.normalized))
        self.limits = limits
        self.responder = responder
        self.pool = pool
    }
}
