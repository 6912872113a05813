package import Dispatch
import Foundation
package import Logging
package import Store
package import TLSReporting

/// What every process that takes TLS reports needs: the spool, the tokens it routes, and the acceptor both
/// doors use; an edge process holds one for its HTTPS door, the reports role one for SMTP and the importer
/// (`mtasts serve` shares one).
///
/// ``start()`` keeps the tokens current (every few seconds, from PostgreSQL, with the cache file in the spool
/// for restarts during an outage).
///
/// ```swift
/// let reception = try ReportReception(spoolDirectory: ".data/reports-spool", store: store, logger: logger)
/// reception.start()
/// let responder = ReportHTTPResponder(acceptor: reception.acceptor, problemBase: base)
/// ```
package final class ReportReception: Sendable {
    package let spool: ReportSpool
    package let tokens: ReportTokenDirectory
    package let acceptor: ReportAcceptor
    /// Signalled after each accepted delivery, so an importer in the same process picks it up at once.
    package let accepted: DispatchSemaphore
    private let refreshInterval: Double
    private let stopSignal = DispatchSemaphore(value: 0)
    private let logger: Logger

    /// Opens the spool and reads the cached tokens.
    /// - Parameter refreshInterval: seconds between token reloads.
    /// - Throws: ``SpoolError`` when the spool directory cannot be created.
    package init(
        spoolDirectory: String,
        store: DataStore?,
        limits: TLSReportLimits = .standard,
        refreshInterval: Double = 5,
        logger: Logger
    ) throws {
        let logger = logger.with(["role": "reports"])
        spool = try ReportSpool(configuration: .init(directory: spoolDirectory))
        tokens = ReportTokenDirectory(store: store, cacheFile: spoolDirectory + "/tokens.json", logger: logger)
        let accepted = DispatchSemaphore(value: 0)
        self.accepted = accepted
        acceptor = ReportAcceptor(spool: spool, tokens: tokens, limits: limits, logger: logger) { accepted.signal() }
        self.refreshInterval = refreshInterval
        self.logger = logger
    }

    /// Loads the tokens now, then keeps reloading them on a small thread until ``stop()``.
    package func start() {
        tokens.refresh()
        let thread = Thread { [self] in
            while stopSignal.wait(timeout: .now() + refreshInterval) == .timedOut {
                tokens.refresh()
            }
        }
        thread.name = "report-token-refresh"
        thread.start()
    }

    package func stop() {
        stopSignal.signal()
    }
}
