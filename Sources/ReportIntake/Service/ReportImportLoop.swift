package import Dispatch
import Foundation
package import Logging
import Synchronization

/// Runs the ``ReportImporter`` on a thread: right after a delivery in this process, every second otherwise
/// (another process may have spooled), and every few seconds while PostgreSQL is unreachable.
///
/// ```swift
/// let loop = ReportImportLoop(importer: importer, wake: reception.accepted, logger: logger)
/// loop.start(); …; loop.stop()
/// ```
package final class ReportImportLoop: Sendable {
    private let importer: ReportImporter
    private let wake: DispatchSemaphore
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    package init(importer: ReportImporter, wake: DispatchSemaphore, logger: Logger) {
        self.importer = importer
        self.wake = wake
        self.logger = logger
    }

    package func start() {
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                let pass = importer.importPending()
                if pass.interrupted {
                    _ = wake.wait(timeout: .now() + 5)
                } else if pass.imported + pass.duplicates + pass.rejected == 0 {
                    _ = wake.wait(timeout: .now() + 1)
                }
            }
            finished.signal()
        }
        thread.name = "report-import"
        thread.start()
    }

    /// Stops after the current pass.
    package func stop() {
        stopped.store(true, ordering: .relaxed)
        wake.signal()
        _ = finished.wait(timeout: .now() + 10)
    }
}
