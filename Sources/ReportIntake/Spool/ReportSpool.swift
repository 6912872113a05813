package import Foundation
import Synchronization

/// The TLS-RPT intake's durable queue on local disk: a door (HTTPS or SMTP) acknowledges a report only once it
/// is here (written, `fsync`ed and renamed into `ready/`), and the importer moves it into PostgreSQL, so a
/// database outage loses no report.
///
/// Several processes on one host may share the directory (an edge writing HTTPS reports, the reports role
/// writing mailed ones and importing both). Files are named by arrival time plus a random suffix, so a listing
/// sorts by arrival. The caps are checked against a count refreshed from the directory every few seconds, so
/// they hold across processes up to what arrives within that interval.
///
/// ```swift
/// let spool = try ReportSpool(configuration: .init(directory: "/var/lib/mtasts/reports"))
/// let name = try spool.accept(entry)
/// for name in spool.pending(limit: 100) { let entry = try spool.read(name); …; try spool.remove(name) }
/// ```
package final class ReportSpool: Sendable {
    /// Where the spool lives and how much it may hold.
    package struct Configuration: Sendable {
        package var directory: String
        /// Bytes of waiting reports beyond which new ones are refused (the sender retries later).
        package var maximumBytes: Int
        /// Waiting reports beyond which new ones are refused.
        package var maximumFiles: Int

        package init(directory: String, maximumBytes: Int = 1 << 30, maximumFiles: Int = 100_000) {
            self.directory = directory
            self.maximumBytes = maximumBytes
            self.maximumFiles = maximumFiles
        }
    }

    /// How much is waiting.
    package struct Usage: Sendable, Equatable {
        package var files: Int
        package var bytes: Int
    }

    package let configuration: Configuration
    let readyDirectory: String
    let temporaryDirectory: String
    let rejectedDirectory: String
    private let state: Mutex<(usage: Usage, scannedAt: Date)>

    /// Opens (and creates) the spool and counts what is waiting.
    /// - Throws: ``SpoolError/io`` when the directories cannot be created.
    package init(configuration: Configuration) throws(SpoolError) {
        self.configuration = configuration
        readyDirectory = configuration.directory + "/ready"
        temporaryDirectory = configuration.directory + "/tmp"
        rejectedDirectory = configuration.directory + "/rejected"
        state = Mutex((Usage(files: 0, bytes: 0), Date.distantPast))
        try createDirectories()
        refreshUsage()
    }

    /// What is waiting, as last counted.
    package var usage: Usage { state.withLock { $0.usage } }

    /// Stores `entry` durably; returns its file name once it is on disk.
    /// - Throws: ``SpoolError/full`` beyond the caps, ``SpoolError/io`` when the disk fails.
    package func accept(_ entry: SpoolEntry, at now: Date = Date()) throws(SpoolError) -> String {
        if state.withLock({ now.timeIntervalSince($0.scannedAt) > 5 }) { refreshUsage(at: now) }
        let bytes = entry.encoded()
        let admitted = state.withLock { state -> Bool in
            guard state.usage.files < configuration.maximumFiles,
                state.usage.bytes + bytes.count <= configuration.maximumBytes
            else { return false }
            state.usage.files += 1
            state.usage.bytes += bytes.count
            return true
        }
        guard admitted else { throw SpoolError.full }
        let name = Self.fileName(at: now)
        do {
            try write(bytes, name: name)
        } catch {
            state.withLock { state in
                state.usage.files -= 1
                state.usage.bytes -= bytes.count
            }
            throw error
        }
        return name
    }

    /// Recounts the waiting files from the directory.
    package func refreshUsage(at now: Date = Date()) {
        let usage = scanUsage()
        state.withLock { $0 = (usage, now) }
    }

    /// `<milliseconds since 1970, 13 digits>-<16 random hex digits>.report`.
    static func fileName(at now: Date) -> String {
        let milliseconds = String(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        let padded = String(repeating: "0", count: max(0, 13 - milliseconds.count)) + milliseconds
        let random = UInt64.random(in: .min ... .max)
        let hex = String(random, radix: 16)
        return "\(padded)-\(String(repeating: "0", count: 16 - hex.count) + hex).report"
    }

    /// Whether `name` is a spool file name (the importer ignores anything else in `ready/`).
    static func isFileName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 13 + 1 + 16 + 7, name.hasSuffix(".report"), bytes[13] == UInt8(ascii: "-") else {
            return false
        }
        return bytes[0..<13].allSatisfy { (0x30...0x39).contains($0) }
            && bytes[14..<30].allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension ReportSpool {
    /// Uncounts a file that left `ready/`.
    func forget(bytes: Int) {
        state.withLock { state in
            state.usage.files = max(0, state.usage.files - 1)
            state.usage.bytes = max(0, state.usage.bytes - bytes)
        }
    }
}
