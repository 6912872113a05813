import API
import Checks
import Crypto
import DNS
import Database
import Foundation
import Logging
import PolicyEdge
import Store
import SystemIO
import TLS
import TestSupport
import Testing
import WebServer

/// The API over HTTPS with the platform's own certificate, ordered from Pebble by the worker.
@Suite struct APICertificateTests {
    @Test func theWorkerOrdersTheAPINamesCertificateAndTheAPIServesHTTPSWithHSTS() throws {
        let host = LifecycleEnvironment.apiHostname
        let environment = try LifecycleEnvironment(platformHost: host)
        defer { environment.stop() }
        environment.startWorkers()
        let store = DataStore(pool: environment.pool)
        try Poll.until(deadline: 60, interval: .milliseconds(200), "the platform certificate is issued") {
            try store.platformCertificates.current(host: host) != nil
        }
        let first = try #require(try store.platformCertificates.current(host: host))
        #expect(first.renewAfter.map { $0 > Date() } == true)
        // Nothing is due while it is fresh, and the edges serve tenants' hosts only.
        #expect(try store.platformCertificates.enqueueDue(host: host, at: Date()) == false)
        let edge = try #require(environment.edge.httpsAddress)
        #expect(throws: (any Error).self) { try environment.httpsGet(edge, host: host, path: "/") }

        let resolver = PlatformCertificateResolver(
            host: host,
            store: store,
            keyring: environment.keyring,
            logger: Logger(label: "api-tls", level: .error)
        )
        resolver.refresh()
        #expect(resolver.hasCertificate)
        let tls = try TLSContext.makeServer(configuration: .server)
        tls.setServerNameResolver(resolver)
        let responder = APIResponder(
            environment: APIEnvironment(
                store: store,
                domainLimit: 5,
                edgeHostname: LifecycleEnvironment.edgeHostname,
                dnsClient: environment.dns.resolverClient(),
                checks: try environment.checkService(),
                passwordParameters: .fastForTesting,
                publicBaseURL: "https://\(host)",
                keyring: environment.keyring,
                logger: Logger(label: "api", level: .critical)
            )
        )
        let pool = BlockingPool(numberOfThreads: 2, name: "api-tls-test")
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(address: try SocketAddress(parsing: "127.0.0.1:0"), tls: tls),
            group: environment.group,
            responder: responder,
            execution: .pool(pool)
        )
        try server.start()
        defer {
            server.shutdown(gracePeriod: .seconds(1))
            pool.shutdown()
        }
        let address = try #require(server.localAddress)
        let answer = try environment.httpsGet(address, host: host, path: "/v1/account")
        #expect(answer.hasPrefix("HTTP/1.1 401 "), "\(answer.prefix(200))")
        #expect(answer.contains("Strict-Transport-Security: max-age=31536000"))
        #expect(answer.contains("https://\(host)/problems/unauthorized"))
        // Another name gets no certificate at all.
        #expect(throws: (any Error).self) {
            try environment.httpsGet(address, host: "other.platform.test", path: "/v1/account")
        }

        // A renewal is picked up by the running listener.
        try store.jobs(workerID: "test").enqueue(kind: .issuePlatformCertificate, domainID: nil)
        try environment.pool.withConnection { connection in
            try connection.execute("UPDATE platform_hosts SET renew_after = now() - interval '1 second'")
        }
        try Poll.until(deadline: 60, interval: .milliseconds(200), "the platform certificate is renewed") {
            try store.platformCertificates.current(host: host)?.id != first.id
        }
        resolver.refresh()
        #expect(try environment.httpsGet(address, host: host, path: "/v1/account").hasPrefix("HTTP/1.1 401 "))
    }

    @Test func aPlatformOrderThatMeetsNonceRacesIsRetriedInSeconds() throws {
        // Pebble refuses every nonce: each attempt fails as a nonce race does (retried once in the client), and the
        // job must come back in seconds, as a tenant's order would, not after the 30 s of a refused order.
        let environment = try LifecycleEnvironment(
            nonceRejectPercent: 100,
            platformHost: LifecycleEnvironment.apiHostname
        )
        defer { environment.stop() }
        environment.startWorkers()
        let job = try environment.firstFailedJob("the platform certificate job's first failure recorded") {
            $0.kind == "issue_platform_certificate"
        }
        #expect(job.lastError?.contains("badNonce") == true, "last_error: \(job.lastError ?? "none")")
        // 2 s · 2^attempts with ±10 % jitter: at most 4.4 s even if a second attempt failed before the read.
        #expect(job.dueIn < 10, "next attempt in \(job.dueIn) s")
    }
}
