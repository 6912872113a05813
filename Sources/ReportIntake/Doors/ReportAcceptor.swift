package import Foundation
package import Logging
package import Store
import Synchronization
package import TLSReporting

/// What both doors do with a delivery: route the token, decode and check the report, and spool it durably.
///
/// Checking happens before the acknowledgement, so a sender learns at once when what it sent can never be a
/// report (RFC 8460 §7: bounded decompression and JSON), and the spool only ever holds valid reports.
///
/// ```swift
/// switch acceptor.accept(token: token, reports: [json], channel: .https, client: "192.0.2.1") {
/// case .accepted: …   // answer 200 / 250
/// }
/// ```
package final class ReportAcceptor: Sendable {
    /// The outcome of one delivery.
    package enum Verdict: Sendable, Equatable {
        /// Spooled under these file names.
        case accepted([String])
        /// The token routes to no served domain.
        case unknownToken
        /// What was sent is not a report; the message names the rule.
        case rejected(TLSReportError)
        /// The spool cannot take it now (full, or the disk failed): the sender should retry later.
        case unavailable(SpoolError)
    }

    /// Deliveries by outcome since start, for metrics.
    package struct Counts: Sendable, Equatable {
        package var accepted = 0
        package var unknownToken = 0
        package var rejected = 0
        package var unavailable = 0
    }

    package let tokens: ReportTokenDirectory
    private let spool: ReportSpool
    package let limits: TLSReportLimits
    private let logger: Logger
    private let countsState = Mutex(Counts())
    private let onAccepted: (@Sendable () -> Void)?

    /// - Parameter onAccepted: called after each accepted delivery (wakes an importer in the same process).
    package init(
        spool: ReportSpool,
        tokens: ReportTokenDirectory,
        limits: TLSReportLimits = .standard,
        logger: Logger,
        onAccepted: (@Sendable () -> Void)? = nil
    ) {
        self.spool = spool
        self.tokens = tokens
        self.limits = limits
        self.logger = logger
        self.onAccepted = onAccepted
    }

    package var counts: Counts { countsState.withLock { $0 } }

    /// Whether `token` accepts reports now (for SMTP's RCPT).
    package func accepts(token: String) -> Bool { tokens.target(for: token) != nil }

    /// Checks every report of one delivery and spools them all, or none.
    /// - Parameter decode: yields the reports' JSON documents from what was delivered; runs only for a known
    ///   token.
    package func accept(
        token: String,
        channel: ReportChannel,
        client: String?,
        at now: Date = Date(),
        decode: () throws(TLSReportError) -> [[UInt8]]
    ) -> Verdict {
        let verdict = evaluate(token: token, channel: channel, client: client, at: now, decode: decode)
        countsState.withLock { counts in
            switch verdict {
            case .accepted: counts.accepted += 1
            case .unknownToken: counts.unknownToken += 1
            case .rejected: counts.rejected += 1
            case .unavailable: counts.unavailable += 1
            }
        }
        return verdict
    }

    private func evaluate(
        token: String,
        channel: ReportChannel,
        client: String?,
        at now: Date,
        decode: () throws(TLSReportError) -> [[UInt8]]
    ) -> Verdict {
        guard let target = tokens.target(for: token) else { return .unknownToken }
        let documents: [[UInt8]]
        do {
            documents = try decode()
            guard !documents.isEmpty else {
                return .rejected(TLSReportError.undecodable.with(message: "The delivery holds no TLS report."))
            }
            for document in documents { _ = try TLSReportParser.parse(document, limits: limits) }
        } catch {
            logger.info(
                "report refused",
                ["domain": target.domainName, "channel": channel.rawValue, "reason": error.message]
            )
            return .rejected(error)
        }
        var names: [String] = []
        for document in documents {
            let entry = SpoolEntry(
                token: token.lowercased(),
                channel: channel,
                receivedAt: now,
                client: client,
                report: document
            )
            do {
                names.append(try spool.accept(entry, at: now))
            } catch {
                logger.error("cannot spool a report", ["domain": target.domainName, "error": error.message])
                // What was spooled already stays: the importer deduplicates when the sender retries.
                return .unavailable(error)
            }
        }
        onAccepted?()
        return .accepted(names)
    }
}
