// MARK: - Prometheus text format

extension DNSServerMetrics {
    /// Renders every counter in the Prometheus text exposition format, one `# HELP`/`# TYPE` pair per metric and
    /// names prefixed `mtasts_dns_`; labelled series with a zero count are left out.
    ///
    /// ```
    /// # HELP mtasts_dns_queries_total DNS messages received, by transport and query type.
    /// # TYPE mtasts_dns_queries_total counter
    /// mtasts_dns_queries_total{transport="udp",qtype="TXT"} 42
    /// ```
    /// - Returns: The lines, each ending in a newline.
    package func prometheusText() -> String {
        let counts = snapshot
        var lines: [String] = []
        func header(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP mtasts_dns_\(name) \(help)")
            lines.append("# TYPE mtasts_dns_\(name) \(type)")
        }
        let transports = DNSServerTransport.allCases

        header("queries_total", "counter", "DNS messages received, by transport and query type.")
        for transport in transports {
            for (index, label) in Self.queryTypeLabels.enumerated() {
                let value = counts.queries[Self.transportIndex(transport)][index]
                if value > 0 {
                    lines.append("mtasts_dns_queries_total{transport=\"\(transport)\",qtype=\"\(label)\"} \(value)")
                }
            }
        }
        header("responses_total", "counter", "DNS responses sent, by transport and response code.")
        for transport in transports {
            for (index, label) in Self.responseCodeLabels.enumerated() {
                let value = counts.responses[Self.transportIndex(transport)][index]
                if value > 0 {
                    lines.append("mtasts_dns_responses_total{transport=\"\(transport)\",rcode=\"\(label)\"} \(value)")
                }
            }
        }
        header("truncated_responses_total", "counter", "UDP responses sent with TC because the answer did not fit.")
        lines.append("mtasts_dns_truncated_responses_total \(counts.truncated)")
        header("rate_limited_total", "counter", "UDP responses held back by response rate limiting, by action.")
        lines.append("mtasts_dns_rate_limited_total{action=\"dropped\"} \(counts.rateLimitedDropped)")
        lines.append("mtasts_dns_rate_limited_total{action=\"slipped\"} \(counts.rateLimitedSlipped)")
        header("unanswered_total", "counter", "Messages that got no response: too short, or responses themselves.")
        lines.append("mtasts_dns_unanswered_total{reason=\"short\"} \(counts.unansweredShort)")
        lines.append("mtasts_dns_unanswered_total{reason=\"response\"} \(counts.unansweredResponses)")
        header("udp_send_failures_total", "counter", "UDP responses the kernel did not accept.")
        lines.append("mtasts_dns_udp_send_failures_total \(counts.udpSendFailures)")
        header("tcp_connections", "gauge", "Open DNS-over-TCP connections.")
        lines.append("mtasts_dns_tcp_connections \(openTCPConnections)")
        header("tcp_connections_accepted_total", "counter", "DNS-over-TCP connections accepted within the cap.")
        lines.append("mtasts_dns_tcp_connections_accepted_total \(counts.tcpAccepted)")
        header("tcp_connections_refused_total", "counter", "DNS-over-TCP connections closed at once by the cap.")
        lines.append("mtasts_dns_tcp_connections_refused_total \(counts.tcpRefused)")
        header("tcp_connections_closed_total", "counter", "DNS-over-TCP connections closed, by reason.")
        for (index, reason) in DNSTCPConnectionStateMachine.CloseReason.allCases.enumerated() {
            lines.append(
                "mtasts_dns_tcp_connections_closed_total{reason=\"\(reason.rawValue)\"} \(counts.tcpClosed[index])"
            )
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
