import DNS
import Testing

@testable import DNSServer

/// The counters and their Prometheus rendering.
@Suite struct DNSServerMetricsTests {
    private func response(_ hex: String, over transport: DNSServerTransport = .udp) throws -> AuthoritativeResponse {
        let outcome = try TestZone.responder().respond(
            to: [UInt8](hex: hex),
            over: transport,
            content: TestZone.content
        )
        guard case .respond(let response) = outcome else {
            throw DNSServerError(.invalidConfiguration, "no response to \(hex)")
        }
        return response
    }

    @Test func rendersEveryMetricWithHelpAndType() {
        let text = DNSServerMetrics().prometheusText()
        let names = [
            "queries_total", "responses_total", "truncated_responses_total", "rate_limited_total", "unanswered_total",
            "udp_send_failures_total", "tcp_connections", "tcp_connections_accepted_total",
            "tcp_connections_refused_total", "tcp_connections_closed_total",
        ]
        for name in names {
            #expect(text.contains("# HELP mtasts_dns_\(name) "))
            #expect(text.contains("# TYPE mtasts_dns_\(name) \(name == "tcp_connections" ? "gauge" : "counter")\n"))
        }
        #expect(text.hasSuffix("\n"))
        #expect(!text.contains("mtasts_dns_queries_total{"))  // no zero-valued labelled series
        #expect(text.contains("mtasts_dns_tcp_connections 0\n"))
        #expect(text.contains("mtasts_dns_tcp_connections_closed_total{reason=\"idle_timeout\"} 0\n"))
    }

    @Test func countsQueriesByTransportAndType() {
        let metrics = DNSServerMetrics()
        metrics.recordQuery(over: .udp, type: .txt)
        metrics.recordQuery(over: .udp, type: .txt)
        metrics.recordQuery(over: .tcp, type: .soa)
        metrics.recordQuery(over: .udp, type: DNSRecordType(rawValue: 65280))
        metrics.recordQuery(over: .udp, type: DNSRecordType(rawValue: 65281))
        metrics.recordQuery(over: .tcp, type: nil)
        metrics.recordQuery(over: .udp, type: .axfr)
        let text = metrics.prometheusText()
        #expect(text.contains("mtasts_dns_queries_total{transport=\"udp\",qtype=\"TXT\"} 2\n"))
        #expect(text.contains("mtasts_dns_queries_total{transport=\"tcp\",qtype=\"SOA\"} 1\n"))
        // Unlisted types share one series, so a flood of odd types cannot add series.
        #expect(text.contains("mtasts_dns_queries_total{transport=\"udp\",qtype=\"other\"} 2\n"))
        #expect(text.contains("mtasts_dns_queries_total{transport=\"tcp\",qtype=\"none\"} 1\n"))
        #expect(text.contains("mtasts_dns_queries_total{transport=\"udp\",qtype=\"AXFR\"} 1\n"))
    }

    @Test func countsResponsesByCodeAndTruncationApartFromSlips() throws {
        let metrics = DNSServerMetrics()
        metrics.recordResponse(try response(QueryFixtures.txtQuery), over: .udp, isSlip: false)
        metrics.recordResponse(try response(QueryFixtures.missingLeafQuery), over: .tcp, isSlip: false)
        metrics.recordResponse(try response(QueryFixtures.ednsVersion1Query), over: .udp, isSlip: false)
        let big = try response(QueryFixtures.bigTXTWithoutEDNS)
        #expect(big.isTruncated)
        metrics.recordResponse(big, over: .udp, isSlip: false)
        metrics.recordResponse(
            try TestZone.responder().truncated(try response(QueryFixtures.txtQuery)),
            over: .udp,
            isSlip: true
        )
        metrics.recordRateLimited(.slip)
        metrics.recordRateLimited(.drop)
        metrics.recordRateLimited(.drop)
        metrics.recordRateLimited(.respond)
        metrics.recordUnanswered(.notAQuery)
        metrics.recordUnanswered(.shorterThanHeader)
        metrics.recordSendFailure()
        let text = metrics.prometheusText()
        #expect(text.contains("mtasts_dns_responses_total{transport=\"udp\",rcode=\"NOERROR\"} 3\n"))
        #expect(text.contains("mtasts_dns_responses_total{transport=\"tcp\",rcode=\"NXDOMAIN\"} 1\n"))
        #expect(text.contains("mtasts_dns_responses_total{transport=\"udp\",rcode=\"BADVERS\"} 1\n"))
        #expect(text.contains("mtasts_dns_truncated_responses_total 1\n"))
        #expect(text.contains("mtasts_dns_rate_limited_total{action=\"dropped\"} 2\n"))
        #expect(text.contains("mtasts_dns_rate_limited_total{action=\"slipped\"} 1\n"))
        #expect(text.contains("mtasts_dns_unanswered_total{reason=\"short\"} 1\n"))
        #expect(text.contains("mtasts_dns_unanswered_total{reason=\"response\"} 1\n"))
        #expect(text.contains("mtasts_dns_udp_send_failures_total 1\n"))
    }

    @Test func countsTCPConnections() {
        let metrics = DNSServerMetrics()
        #expect(metrics.reserveTCPConnection() == 1)
        metrics.tcpConnectionAccepted()
        #expect(metrics.reserveTCPConnection() == 2)
        metrics.tcpConnectionRefused()
        #expect(metrics.openTCPConnections == 1)
        #expect(metrics.tcpConnectionClosed(.writeTimeout) == 0)
        let text = metrics.prometheusText()
        #expect(text.contains("mtasts_dns_tcp_connections 0\n"))
        #expect(text.contains("mtasts_dns_tcp_connections_accepted_total 1\n"))
        #expect(text.contains("mtasts_dns_tcp_connections_refused_total 1\n"))
        #expect(text.contains("mtasts_dns_tcp_connections_closed_total{reason=\"write_timeout\"} 1\n"))
    }
}
