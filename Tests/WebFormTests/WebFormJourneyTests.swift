import DNS
import Foundation
import HTTPCore
import TestSupport
import Testing
import WebClient

/// The web form (`Public/`) driven in headless Chromium against the real `mtasts serve`, PostgreSQL, Knot, Unbound
/// and Pebble: the whole tenant journey a person makes, through the JSON API only. The server runs with the
/// platform's DNS zone configured (`MTASTS_DNS_ZONE`), so the page offers the CNAMEs into it, and with Pebble as its
/// ACME CA (the edge's plain-HTTP listener on Pebble's validation port), so the worker really issues the
/// certificate of `mta-sts.<domain>` while the page is open.
@Suite(.serialized) struct WebFormJourneyTests {
    static let zone = "webform.test"
    static let edgeHostname = "edge.platform.test"
    /// `MTASTS_DNS_ZONE`: the dns-records entries offer CNAMEs into it.
    static let platformZone = "sts.platform.test"

    static let records: [DNSTestRecord] = [
        DNSTestRecord(owner: "webform.test", type: .mx, value: "10 mx1.webform.test."),
        DNSTestRecord(owner: "mx1.webform.test", type: .a, value: "127.0.0.1"),
        DNSTestRecord(owner: "mta-sts.webform.test", type: .cname, value: "edge.platform.test."),
        // Not a valid TLSRPT record (no rua): the page must show it as "wrong" with what was found.
        DNSTestRecord(owner: "_smtp._tls.webform.test", type: .txt, value: "v=TLSRPTv1;"),
        DNSTestRecord(owner: "edge.platform.test", type: .a, value: "127.0.0.1"),
    ]

    /// Where screenshots go: `WEBFORM_SCREENSHOT_DIR` when set (to look at them after the run), else the
    /// test's temporary directory.
    /// Where the guide's screenshots go (`docs/guide/`, `make guide-screenshots`): only when
    /// `WEBFORM_GUIDE_DIR` is set.
    static var guideDirectory: String? {
        guard let configured = ProcessInfo.processInfo.environment["WEBFORM_GUIDE_DIR"], !configured.isEmpty else {
            return nil
        }
        try? FileManager.default.createDirectory(atPath: configured, withIntermediateDirectories: true)
        return configured
    }

    /// Checks that a browser script saved each guide screen it names (`STEP screen <name> … saved for the guide`)
    /// at 1280 and 360 px. Only the script's own screens count: another test may write into the same directory.
    static func expectGuidePictures(
        in guide: String,
        from output: String,
        count: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let screens = output.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("STEP screen "), line.hasSuffix("saved for the guide") else { return nil }
            return line.dropFirst("STEP screen ".count).split(separator: " ").first.map(String.init)
        }
        #expect(screens.count == count, "guide screens: \(screens)", sourceLocation: sourceLocation)
        for screen in screens {
            for width in ["1280", "360"] {
                let path = "\(guide)/\(screen)-\(width).png"
                #expect(
                    FileManager.default.fileExists(atPath: path),
                    "\(path) is missing",
                    sourceLocation: sourceLocation
                )
            }
        }
    }

    static func screenshotDirectory(default directory: TemporaryDirectory) -> String {
        if let configured = ProcessInfo.processInfo.environment["WEBFORM_SCREENSHOT_DIR"], !configured.isEmpty {
            try? FileManager.default.createDirectory(atPath: configured, withIntermediateDirectories: true)
            return configured
        }
        return directory.path("screenshots")
    }

    @Test func tenantJourneyInHeadlessChromium() throws {
        let directory = try TemporaryDirectory(prefix: "webform")
        let tools = try BrowserTools.require(scratch: directory)
        let dns = try DNSTestEnvironment.start(zones: [Self.zone, "platform.test"], records: Self.records)
        defer { dns.stop() }
        // Pebble validates http-01 on the edge's plain-HTTP port, resolving through Unbound (TEST-ENV.md).
        let edgeHTTPPort = try FreePort.allocate(udp: false, tcp: true)
        let pebble = try PebbleTestEnvironment.start(httpPort: edgeHTTPPort, dnsResolver: dns.resolverAddress)
        defer { pebble.stop() }
        // The worker's checks fetch https://mta-sts.<domain>/ as a sender trusting Pebble's root would.
        let pebbleRoot = try directory.write(try pebble.rootCertificatePEM(), to: "pebble-root.pem")
        let server = try ServerProcess.start(
            databaseURL: try PostgresTestCluster.shared.makeDatabase(),
            resolver: dns.resolverAddress,
            edgeHostname: Self.edgeHostname,
            dnsZone: Self.platformZone,
            edgeHTTPPort: edgeHTTPPort,
            checkCABundle: pebbleRoot,
            environment: [
                "MTASTS_ACME_DIRECTORY": pebble.directoryURL,
                "MTASTS_ACME_CA_BUNDLE": pebble.caBundlePath,
                "MTASTS_ACME_EMAIL": "ops@platform.test",
                "MTASTS_ACME_HTTP01_PORT": String(edgeHTTPPort),
                "MTASTS_WORKER_SCAN_SECONDS": "1",
                // The journey goes from testing to enforce within minutes: no TLS reports to wait for
                // (WebFormReportsTests covers the gate).
                "MTASTS_ENFORCE_READY_DAYS": "0",
            ],
            directory: directory
        )
        defer { server.stop() }

        try checkStaticFiles(on: server)

        let screenshots = Self.screenshotDirectory(default: directory)
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)
        let script = RepositoryPaths.root.appendingPathComponent("Tests/WebFormTests/Scripts/tenant_journey.py").path
        var arguments = [
            script, "--base-url", server.baseURL, "--domain", Self.zone, "--zone", Self.zone,
            "--knotc", dns.knotcPath, "--knot-socket", dns.controlSocketPath, "--output-dir", screenshots,
            "--chromium", tools.chromium, "--chromedriver", tools.chromedriver,
            "--platform-zone", Self.platformZone, "--edge-hostname", Self.edgeHostname,
        ]
        if let guide = Self.guideDirectory { arguments += ["--guide-dir", guide] }
        let (termination, output) = try ManagedProcess.run(
            name: "tenant-journey",
            executable: tools.python,
            arguments: arguments,
            logDirectory: directory.path,
            timeout: 420
        )
        // The steps with their timings, next to the screenshots.
        try? output.write(toFile: screenshots + "/journey.log", atomically: true, encoding: .utf8)
        #expect(termination == .exited(0), "the browser journey failed:\n\(output)\nserver log:\n\(server.logTail())")
        #expect(output.contains("JOURNEY COMPLETE"), "\(output)")
        try checkAdminListeners(of: server)
        if let guide = Self.guideDirectory { Self.expectGuidePictures(in: guide, from: output, count: 14) }
        for name in ["journey-1280.png", "journey-360.png"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: screenshots + "/" + name))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a PNG")
            #expect(bytes.count > 10_000, "\(name) is suspiciously small")
        }
    }

    /// Every role of `mtasts serve` answers `/healthz`, `/readyz` and `/metrics` on its own admin listener, and the
    /// API counted the journey's requests by route template.
    private func checkAdminListeners(of server: ServerProcess) throws {
        #expect(Set(server.adminURLs.keys) == ["api", "dns", "edge", "worker"])
        let client = try HTTPClient()
        for (role, base) in server.adminURLs {
            for path in ["/healthz", "/readyz"] {
                let response = try client.send(try ClientRequest(url: base + path))
                #expect(response.status == .ok, "\(role)\(path): \(String(decoding: response.body, as: UTF8.self))")
            }
        }
        let api = try client.send(try ClientRequest(url: server.adminURLs["api", default: ""] + "/metrics"))
        let text = String(decoding: api.body, as: UTF8.self)
        #expect(text.contains(#"mtasts_api_requests_total{method="POST",route="/v1/accounts",code="201"} "#), "\(text)")
        #expect(text.contains(#"mtasts_api_request_duration_seconds_bucket{method="GET",route="/v1/domains/{name}","#))
        #expect(text.contains(#"route="static",code="200"}"#))
        let worker = try client.send(try ClientRequest(url: server.adminURLs["worker", default: ""] + "/metrics"))
        let workerText = String(decoding: worker.body, as: UTF8.self)
        #expect(workerText.contains(#"mtasts_acme_orders_total{outcome="issued"} "#), "\(workerText)")
        #expect(workerText.contains(#"mtasts_worker_jobs_total{kind="issue_certificate",outcome="done"} "#))
        #expect(workerText.contains(#"mtasts_certificates_by_days_to_expiry{le="+Inf"} "#))
    }

    /// The form's files come with the right types and headers, and nothing else on disk is reachable.
    private func checkStaticFiles(on server: ServerProcess) throws {
        let page = try server.send("/")
        #expect(page.status == .ok)
        #expect(page.headers[.contentType] == "text/html; charset=utf-8")
        #expect(page.headers[.cacheControl] == "no-cache")
        let csp = try #require(HTTPField.Name("Content-Security-Policy"))
        #expect(page.headers[csp] == "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        let nosniff = try #require(HTTPField.Name("X-Content-Type-Options"))
        #expect(page.headers[nosniff] == "nosniff")
        let referrer = try #require(HTTPField.Name("Referrer-Policy"))
        #expect(page.headers[referrer] == "no-referrer")
        #expect(String(decoding: page.body, as: UTF8.self).contains("<script src=\"/app.js\" defer></script>"))

        let script = try server.send("/app.js")
        #expect(script.status == .ok)
        #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
        let etag = try #require(script.headers[.etag])
        let revalidated = try server.send("/app.js", headers: [.ifNoneMatch: etag])
        #expect(revalidated.status == .notModified)
        #expect(try server.send("/app.css").headers[.contentType] == "text/css; charset=utf-8")
        let head = try server.send("/", method: .head)
        #expect(head.status == .ok)
        #expect(head.body.isEmpty)

        for path in ["/../Package.swift", "/%2e%2e/Package.swift", "/README.md", "/index.html/", "/.gitignore"] {
            let response = try server.send(path)
            #expect(response.status == .notFound, "\(path) answered \(response.status)")
            #expect(response.headers[.contentType] == "application/problem+json", "\(path)")
        }
        #expect(try server.send("/", method: .post).status == .methodNotAllowed)
        #expect(try server.send("/v1/account").status == .unauthorized)
    }
}
