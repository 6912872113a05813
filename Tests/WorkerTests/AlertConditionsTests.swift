import Checks
import Foundation
import HTTPCore
import MTASTS
import Store
import TestSupport
import Testing
import WebServer
import Worker

@Suite struct AlertConditionsTests {
    private static let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func report(_ findings: [CheckFinding], mx: [String]?) -> CheckReport {
        CheckReport(
            domain: "example.com",
            checkedAt: Self.now,
            hosted: true,
            observed: CheckObservations(
                stsRecord: TXTObservation(cnameTarget: nil, txtRecords: []),
                tlsrptRecord: TXTObservation(cnameTarget: nil, txtRecords: []),
                policyFetch: .failed("x"),
                policy: nil,
                policyHostAliases: [],
                mxHosts: mx
            ),
            findings: findings
        )
    }

    private func certificate(_ status: CertificateStatus, expiresIn days: Double?) -> CertificateStateRecord {
        CertificateStateRecord(
            status: status,
            lastError: status == .failed ? "the CA refused: rateLimited" : nil,
            lastErrorAt: nil,
            renewAfter: nil,
            updatedAt: Self.now,
            notBefore: nil,
            notAfter: days.map { Self.now.addingTimeInterval($0 * 86_400) },
            issuer: nil
        )
    }

    @Test func errorsGroupByCodeWarningsDoNotAlert() {
        let findings = [
            CheckFinding(.mxUncovered, .error, "mx1 uncovered", fix: "add mx1"),
            CheckFinding(.mxUncovered, .error, "mx2 uncovered", fix: "add mx2"),
            CheckFinding(.tlsrptMissing, .warning, "no TLS-RPT", fix: "publish"),
        ]
        let conditions = AlertConditions.evaluate(
            report: report(findings, mx: nil),
            certificate: nil,
            previousMX: nil,
            now: Self.now
        )
        #expect(conditions.map(\.code) == ["mx-uncovered"])
        #expect(conditions.first?.message == "mx1 uncovered (and 1 more like it)")
    }

    @Test func certificatesAndMXChangesAreConditionsToo() {
        let expiring = AlertConditions.evaluate(
            report: report([], mx: ["mx1.example.com"]),
            certificate: certificate(.issued, expiresIn: 10),
            previousMX: ["mx1.example.com"],
            now: Self.now
        )
        #expect(expiring.map(\.code) == ["certificate-expiring"])
        #expect(expiring.first?.message.contains("expires in 10 days") == true)
        let healthy = AlertConditions.evaluate(
            report: report([], mx: ["mx1.example.com"]),
            certificate: certificate(.issued, expiresIn: 60),
            previousMX: ["mx1.example.com"],
            now: Self.now
        )
        #expect(healthy.isEmpty)
        let failing = AlertConditions.evaluate(
            report: report([], mx: ["mx2.example.com"]),
            certificate: certificate(.failed, expiresIn: 20),
            previousMX: ["mx1.example.com"],
            now: Self.now
        )
        #expect(failing.map(\.code) == ["certificate-renewal-failing", "mx-changed"])
        #expect(failing[0].message.contains("could not be renewed: the CA refused"))
        #expect(failing[1].message.contains("added mx2.example.com; removed mx1.example.com"))
        // Unknown MX before or now is not a change; neither is the same set in another order.
        #expect(
            AlertConditions.evaluate(
                report: report([], mx: ["b", "a"]),
                certificate: nil,
                previousMX: ["a", "b"],
                now: Self.now
            ).isEmpty
        )
        #expect(
            AlertConditions.evaluate(report: report([], mx: nil), certificate: nil, previousMX: ["a"], now: Self.now)
                .isEmpty
        )
    }
}

/// The worker's `/metrics` figures come from the database as an operator needs them.
@Suite struct WorkerMetricsTests {
    @Test func openAlertsFailingCertificatesAndSeveritiesAreCounted() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try ServedDomainFixtures(url: url, directory: try TemporaryDirectory(prefix: "metrics"))
        let store = fixtures.store
        let (domainID, _) = try fixtures.addDomain(
            "metrics.example.test",
            policy: try Policy(parsing: ServedDomainFixtures.policy(mode: "enforce", mx: "mx.metrics.example.test")),
            certificate: true
        )
        _ = try store.alerts.reconcile(
            domainID: domainID,
            current: [AlertCondition(code: "mx-uncovered", severity: "error", message: "m", fix: "f")],
            at: Date()
        )
        let metrics = WorkerMetrics()
        #expect(!metrics.render().contains("mtasts_alert_conditions_open"))
        try metrics.refresh(store: store, at: Date())
        let text = metrics.render()
        #expect(text.contains("mtasts_alert_conditions_open{code=\"mx-uncovered\"} 1\n"))
        #expect(text.contains("mtasts_certificates_failing{status=\"failed\"} 0\n"))
        #expect(text.contains("mtasts_alert_deliveries_failed{channel=\"webhook\"} 0\n"))
        #expect(text.contains("# TYPE mtasts_certificates_expiring_soon gauge\nmtasts_certificates_expiring_soon "))
        let responder = AdminResponder(readiness: { [] }, metrics: { metrics.render() })
        let head = HTTPRequestHead(method: .get, target: "/metrics", fields: HTTPFields(), framing: .none)
        let response = responder.respond(to: HTTPRequest(head: head, body: [], remoteAddress: "127.0.0.1"))
        #expect(response.status == .ok)
        #expect(
            String(decoding: response.body, as: UTF8.self).contains(
                "mtasts_alert_conditions_open{code=\"mx-uncovered\"} 1"
            )
        )
        let other = HTTPRequestHead(method: .get, target: "/", fields: HTTPFields(), framing: .none)
        #expect(
            responder.respond(to: HTTPRequest(head: other, body: [], remoteAddress: "127.0.0.1")).status == .notFound
        )
    }
}
