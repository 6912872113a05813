import Foundation
package import Logging
package import Store
import Synchronization
package import TLSReporting

/// Moves reports from the spool into PostgreSQL, each exactly once.
///
/// A report is removed from the spool only after its transaction committed, and the store skips a report it
/// already has (``TLSReport/fingerprint``), so a crash between the two, or the same report delivered twice, still
/// yields one row. A database error ends the pass and leaves the rest waiting; a file that can never be imported
/// (corrupt, no longer a valid report, its domain gone) is moved to `rejected/` with the reason.
///
/// ```swift
/// let importer = ReportImporter(spool: spool, store: store, logger: logger)
/// let pass = importer.importPending()   // pass.imported, pass.duplicates, pass.rejected, pass.interrupted
/// ```
package final class ReportImporter: Sendable {
    /// What one pass did.
    package struct Pass: Sendable, Equatable {
        package var imported = 0
        package var duplicates = 0
        package var rejected = 0
        /// Whether the pass stopped at a database error with reports still waiting.
        package var interrupted = false

        package init(imported: Int = 0, duplicates: Int = 0, rejected: Int = 0, interrupted: Bool = false) {
            self.imported = imported
            self.duplicates = duplicates
            self.rejected = rejected
            self.interrupted = interrupted
        }
    }

    /// Totals since start, for metrics.
    package struct Totals: Sendable, Equatable {
        package var imported = 0
        package var duplicates = 0
        package var rejected = 0
        package var failedPasses = 0
    }

    private let spool: ReportSpool
    private let store: DataStore
    private let limits: TLSReportLimits
    private let logger: Logger
    private let totalsState = Mutex(Totals())

    package init(spool: ReportSpool, store: DataStore, limits: TLSReportLimits = .standard, logger: Logger) {
        self.spool = spool
        self.store = store
        self.limits = limits
        self.logger = logger
    }

    package var totals: Totals { totalsState.withLock { $0 } }

    /// Imports up to `limit` waiting reports, oldest first.
    package func importPending(limit: Int = 500) -> Pass {
        var pass = Pass()
        for name in spool.pending(limit: limit) {
            do {
                switch try importOne(name) {
                case .imported: pass.imported += 1
                case .duplicate: pass.duplicates += 1
                case .rejected: pass.rejected += 1
                }
            } catch {
                logger.warning("cannot import reports now; they stay in the spool", ["error": "\(error)"])
                pass.interrupted = true
                break
            }
        }
        totalsState.withLock { totals in
            totals.imported += pass.imported
            totals.duplicates += pass.duplicates
            totals.rejected += pass.rejected
            if pass.interrupted { totals.failedPasses += 1 }
        }
        return pass
    }

    private enum Outcome {
        case imported, duplicate, rejected
    }

    /// Imports one file; throws only for what a later pass may get past (the database, the disk).
    private func importOne(_ name: String) throws -> Outcome {
        let entry: SpoolEntry
        switch Result(catching: { () throws(SpoolError) -> SpoolEntry in try spool.read(name) }) {
        case .success(let read): entry = read
        case .failure(let error) where error == .corrupt: return try reject(name, reason: "not a spool entry")
        case .failure(let error): throw error
        }
        let report: TLSReport
        do {
            report = try TLSReportParser.parse(entry.report, limits: limits)
        } catch {
            return try reject(name, reason: error.message)
        }
        guard let target = try store.reports.target(token: entry.token) else {
            return try reject(name, reason: "token \(entry.token) no longer routes to a served domain")
        }
        let versions = try store.policies.history(domainID: target.domainID).map { record in
            PolicyVersion(
                policyID: record.policyID,
                text: record.text,
                servedFrom: record.createdAt,
                servedUntil: record.supersededAt
            )
        }
        let applied = report.policies.map { policy -> String? in
            guard policy.policyType.lowercased() == "sts" else { return nil }
            return AppliedPolicyMatcher.match(
                policy.policyString,
                reportStart: report.start,
                reportEnd: report.end,
                among: versions
            )
        }
        let id = try store.reports.store(
            report,
            rawJSON: String(decoding: entry.report, as: UTF8.self),
            domainID: target.domainID,
            channel: entry.channel,
            receivedAt: entry.receivedAt,
            appliedPolicyIDs: applied
        )
        try spool.remove(name)
        if let id {
            logger.info(
                "report imported",
                [
                    "domain": target.domainName, "report": id.uuidString, "reporter": report.organizationName,
                    "channel": entry.channel.rawValue,
                ]
            )
            return .imported
        }
        return .duplicate
    }

    private func reject(_ name: String, reason: String) throws -> Outcome {
        logger.warning("report cannot be imported; moved to rejected/", ["file": name, "reason": reason])
        try spool.reject(name, reason: reason)
        return .rejected
    }
}
