/// The reports role's `/metrics` document (on its admin listener, ``AdminResponder``): deliveries by door and
/// outcome, imports, and what waits in the spool.
package struct ReportMetrics: Sendable {
    private let reception: ReportReception
    private let importer: ReportImporter
    /// Counters of the SMTP door, when it runs: Prometheus lines appended as they are.
    private let extra: @Sendable () -> String

    package init(reception: ReportReception, importer: ReportImporter, extra: @escaping @Sendable () -> String = { "" })
    {
        self.reception = reception
        self.importer = importer
        self.extra = extra
    }

    /// The metrics document.
    package func render() -> String {
        let counts = reception.acceptor.counts
        let totals = importer.totals
        let usage = reception.spool.usage
        var text = "# HELP mtasts_reports_deliveries_total Report deliveries this process answered, by outcome.\n"
        text += "# TYPE mtasts_reports_deliveries_total counter\n"
        for (outcome, value) in [
            ("accepted", counts.accepted), ("unknown_token", counts.unknownToken), ("rejected", counts.rejected),
            ("unavailable", counts.unavailable),
        ] {
            text += "mtasts_reports_deliveries_total{outcome=\"\(outcome)\"} \(value)\n"
        }
        text += "# HELP mtasts_reports_imported_total Spooled reports moved into PostgreSQL, by outcome.\n"
        text += "# TYPE mtasts_reports_imported_total counter\n"
        for (outcome, value) in [
            ("stored", totals.imported), ("duplicate", totals.duplicates), ("rejected", totals.rejected),
        ] {
            text += "mtasts_reports_imported_total{outcome=\"\(outcome)\"} \(value)\n"
        }
        func gauge(_ name: String, _ help: String, _ value: Int) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(value)\n"
        }
        gauge("mtasts_reports_import_failed_passes", "Import passes stopped by a database error.", totals.failedPasses)
        gauge("mtasts_reports_spool_files", "Reports waiting in the spool.", usage.files)
        gauge("mtasts_reports_spool_bytes", "Bytes waiting in the spool.", usage.bytes)
        gauge("mtasts_reports_tokens", "Reporting tokens that accept reports.", reception.tokens.count)
        return text + extra()
    }
}
