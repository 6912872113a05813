package import SMTPServer

/// The SMTP door's counters as Prometheus text, for the reports role's `/metrics`.
package enum ReportSMTPMetrics {
    package static func render(_ metrics: SMTPListenerMetrics) -> String {
        var text = ""
        func counter(_ name: String, _ help: String, _ values: [(String?, Int)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
            for (label, value) in values {
                text += label.map { "\(name){\($0)} \(value)\n" } ?? "\(name) \(value)\n"
            }
        }
        text += "# HELP mtasts_reports_smtp_connections Open SMTP connections.\n"
        text += "# TYPE mtasts_reports_smtp_connections gauge\n"
        text += "mtasts_reports_smtp_connections \(metrics.currentConnections)\n"
        counter(
            "mtasts_reports_smtp_connections_total",
            "SMTP connections accepted, and refused at accept by a cap.",
            [("outcome=\"accepted\"", metrics.totalAccepted), ("outcome=\"refused\"", metrics.totalRejected)]
        )
        counter(
            "mtasts_reports_smtp_tls_sessions_total",
            "STARTTLS handshakes completed.",
            [(nil, metrics.tlsSessions)]
        )
        counter(
            "mtasts_reports_smtp_messages_total",
            "Messages by outcome (refused includes too large and deferred).",
            [
                ("outcome=\"accepted\"", metrics.messagesAccepted), ("outcome=\"refused\"", metrics.messagesRefused),
                ("outcome=\"deferred\"", metrics.deliveriesDeferred),
            ]
        )
        counter(
            "mtasts_reports_smtp_recipients_total",
            "Recipients by outcome.",
            [("outcome=\"accepted\"", metrics.recipientsAccepted), ("outcome=\"refused\"", metrics.recipientsRefused)]
        )
        counter(
            "mtasts_reports_smtp_closes_total",
            "Closed SMTP connections by reason.",
            metrics.closesByReason.sorted { $0.key < $1.key }.map { ("reason=\"\($0.key)\"", $0.value) }
        )
        return text
    }
}
