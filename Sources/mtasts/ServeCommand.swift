import ACME
import API
import Checks
import Configuration
import Crypto
import DNS
import DNSServer
import Database
import Foundation
import Glibc
import HTTPCore
import Logging
import PlatformZone
import PolicyEdge
import ReportIntake
import SMTPClient
import SnapshotSync
import Store
import SystemIO
import TLS
import TLSReporting
import WebServer
import Worker

/// `mtasts serve` and the single-role commands `api`, `edge`, `worker`.
enum ServeCommand {
    /// The parts a process can run.
    struct Roles: OptionSet {
        let rawValue: Int
        static let api = Roles(rawValue: 1)
        static let edge = Roles(rawValue: 2)
        static let worker = Roles(rawValue: 4)
        /// The platform's authoritative zone; part of `serve` when `MTASTS_DNS_ZONE` is set.
        static let dns = Roles(rawValue: 8)
        /// TLS-RPT intake: the importer and the SMTP door; part of `serve` when `MTASTS_REPORTS_HOSTNAME` or
        /// `MTASTS_REPORTS_MAIL_DOMAIN` is set.
        static let reports = Roles(rawValue: 16)
        static let all: Roles = [.api, .edge, .worker, .dns, .reports]

        var names: [String] {
            [(Roles.api, "api"), (.edge, "edge"), (.worker, "worker"), (.dns, "dns"), (.reports, "reports")]
                .filter { contains($0.0) }.map(\.1)
        }

        /// Roles that answer from memory or a local spool and must come up during a database outage.
        var servesFromSnapshot: Bool { !isEmpty && isSubset(of: [.edge, .dns, .reports]) }
    }

    static func help(for roles: Roles) -> String {
        let name = roles == .all ? "serve" : roles.names.joined()
        return """
            usage: mtasts \(name) [--no-migrate]

            Runs \(roles.names.joined(separator: " + ")) until SIGINT or SIGTERM. Configuration comes from the
            MTASTS_* environment variables (see README). With no MTASTS_DATABASE_URL, an embedded PostgreSQL
            cluster is created and started under MTASTS_DATA_DIR (.data/) and stopped again on exit.
            Pending migrations are applied at start.

            options:
              --no-migrate   do not apply migrations at start (refuse to run if any are pending)
              --help         show this help

            """
    }

    static func run(_ arguments: [String], environment: [String: String], roles: Roles) throws -> Int32 {
        let options = try OptionParser(arguments, knownFlags: ["help", "no-migrate"], knownValues: [])
        if options.flags.contains("help") {
            CommandRunner.writeOut(help(for: roles))
            return 0
        }
        let configuration = try PlatformConfiguration(environment: environment)
        if roles.contains(.api) { try checkAPITransport(configuration) }
        let logger = Logger(label: roles == .all ? "serve" : roles.names.joined(), level: configuration.logLevel)
        // Block the termination signals before any thread starts, so only `sigwait` below receives them.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        signal(SIGPIPE, SIG_IGN)

        let keyring = try SecretsSetup.loadKeyring(configuration: configuration, logger: logger)
        logger.info("master key loaded", ["key_ids": keyring.keyIDs.joined(separator: ",")])
        let setup = try DatabaseSetup.prepare(configuration: configuration, logger: logger)
        defer {
            if let cluster = setup.embeddedCluster {
                logger.info("stopping embedded PostgreSQL")
                do { try cluster.stop() } catch {
                    logger.error("could not stop embedded PostgreSQL", ["error": "\(error)"])
                }
            }
        }
        // Edges and DNS responders read from a nearby replica when one is configured; writers use the primary.
        let readURL = configuration.databaseReadURL ?? setup.connectionString
        do {
            let migrate = !options.flags.contains("no-migrate")
            try prepareSchema(
                migrate: migrate,
                connectionString: !migrate && roles.servesFromSnapshot ? readURL : setup.connectionString,
                configuration: configuration,
                logger: logger
            )
        } catch let error as DatabaseError where roles.servesFromSnapshot && error.invalidatesConnection {
            // An edge or DNS responder must come up during a database outage and serve its snapshot file.
            logger.warning("database unreachable at start; serving the snapshot file", ["error": "\(error)"])
        }
        if roles == [.dns] && configuration.dnsZone == nil {
            throw ConfigurationError(variable: "MTASTS_DNS_ZONE", message: "the dns role needs the platform's zone")
        }
        if roles == [.reports] && !reporting(configuration).isEnabled {
            throw ConfigurationError(
                variable: "MTASTS_REPORTS_HOSTNAME",
                message: "the reports role needs MTASTS_REPORTS_HOSTNAME (and MTASTS_REPORTS_MAIL_DOMAIN for mail)"
            )
        }
        // The API's pool: one connection per API thread (the worker and the edge open their own).
        let pool = PostgresPool(configuration: .init(connectionString: setup.connectionString, maxConnections: 10))
        defer { pool.close() }

        let group = try EventLoopGroup(numberOfLoops: configuration.eventLoops)
        defer { try? group.shutdownGracefully() }
        // `/readyz` of the writing roles: the primary takes writes.
        let writer =
            roles.isDisjoint(with: [.api, .worker, .reports])
            ? nil : WriterReadiness(connectionString: setup.connectionString)
        defer { writer?.close() }
        let follower = followerConfiguration(configuration)
        // The spool and tokens the HTTPS door (on the edge) and the reports role share in this process.
        let reception =
            roles.isDisjoint(with: [.edge, .reports])
            ? nil
            : try reportReception(
                configuration: configuration,
                connectionString: setup.connectionString,
                logger: logger
            )
        defer { reception?.stop() }
        let reportsCertificate =
            reception == nil
            ? nil : reportsCertificate(configuration: configuration, pool: pool, keyring: keyring, logger: logger)
        defer { reportsCertificate?.timer.cancel() }
        var reportsDoor: ReportsDoor?
        if let reception, let reportsCertificate, roles.contains(.edge) {
            reportsDoor = reportsHost(
                configuration: configuration,
                reception: reception,
                certificate: reportsCertificate.resolver
            )
        }
        defer { reportsDoor?.pool.shutdown() }
        var edge: EdgeService?
        if roles.contains(.edge) {
            let source = try StoreSnapshotSource(
                connectionString: readURL,
                heartbeatConnectionString: configuration.databaseReadURL == nil ? nil : setup.connectionString
            )
            let instance = "edge-\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8))"
            let service = try EdgeService(
                configuration: .init(
                    httpsAddress: try socketAddress(
                        configuration.edgeHTTPSListen,
                        variable: "MTASTS_EDGE_HTTPS_LISTEN"
                    ),
                    httpAddress: try socketAddress(configuration.edgeHTTPListen, variable: "MTASTS_EDGE_HTTP_LISTEN"),
                    adminAddress: try socketAddress(
                        configuration.edgeAdminListen,
                        variable: "MTASTS_EDGE_ADMIN_LISTEN"
                    ),
                    snapshotFile: configuration.edgeSnapshotFile,
                    accessLog: configuration.edgeAccessLog,
                    follower: follower,
                    maxConnectionsPerAddress: perAddressCap(configuration.edgeMaxConnectionsPerAddress),
                    trustedProxies: configuration.trustedProxies,
                    extraHost: reportsDoor?.host,
                    maximumStaleness: TimeInterval(configuration.readyMaximumStaleness)
                ),
                source: source,
                keyring: keyring,
                group: group,
                heartbeat: { try source.recordHeartbeat(instance: instance, appliedSequence: $0) },
                logger: logger.with(["role": "edge"])
            )
            try service.start()
            edge = service
            CommandRunner.writeOut(
                "edge:   https://\(configuration.edgeHTTPSListen)/.well-known/mta-sts.txt (per-host certificates by SNI)\n"
                    + "        http://\(configuration.edgeHTTPListen)/.well-known/acme-challenge/<token>\n"
                    + "        http://\(configuration.edgeAdminListen)/metrics (and /healthz, /readyz)\n"
            )
        }
        var api: HTTPServer?
        // Eight API threads and at most 64 requests waiting for one: beyond that a request gets 503 at once.
        let apiPool = roles.contains(.api) ? BlockingPool(numberOfThreads: 8, name: "api", maximumQueued: 64) : nil
        defer { apiPool?.shutdown() }
        var certificateRefresh: (any DispatchSourceTimer)?
        defer { certificateRefresh?.cancel() }
        var apiAdmin: HTTPServer?
        if let apiPool, let writer {
            let metrics = APIMetrics()
            (api, certificateRefresh) = try startAPI(
                configuration: configuration,
                pool: pool,
                keyring: keyring,
                group: group,
                blocking: apiPool,
                metrics: metrics,
                logger: logger
            )
            apiAdmin = try startAdmin(
                configuration.apiAdminListen,
                variable: "MTASTS_API_ADMIN_LISTEN",
                responder: AdminResponder(readiness: writer.problems, metrics: metrics.render),
                group: group
            )
        }
        var worker: (service: WorkerService, admin: HTTPServer)?
        if roles.contains(.worker), let writer {
            worker = try startWorker(
                configuration: configuration,
                connectionString: setup.connectionString,
                keyring: keyring,
                readiness: writer,
                group: group,
                logger: logger
            )
        }
        var zone: ZoneService?
        if roles.contains(.dns), let apex = configuration.dnsZone {
            zone = try startZone(
                configuration: configuration,
                apex: apex,
                connectionString: readURL,
                follower: follower,
                group: group,
                logger: logger
            )
        }
        var reports: ReportsRole?
        if roles.contains(.reports), let reception, let writer {
            reports = try startReports(
                configuration: configuration,
                reception: reception,
                connectionString: setup.connectionString,
                readiness: writer,
                certificate: reportsCertificate?.resolver,
                group: group,
                logger: logger
            )
        }
        CommandRunner.writeOut(
            "mtasts is running. Database: \(redacted(setup.connectionString)). Press Ctrl-C to stop.\n"
        )

        var received: Int32 = 0
        sigwait(&signals, &received)
        logger.info("shutting down", ["signal": received == SIGINT ? "SIGINT" : "SIGTERM"])
        api?.shutdown(gracePeriod: .seconds(10))
        apiAdmin?.shutdown(gracePeriod: .seconds(1))
        worker?.admin.shutdown(gracePeriod: .seconds(1))
        worker?.service.stop()
        zone?.stop()
        edge?.stop()
        reports?.stop()
        return 0
    }

    /// Starts the authoritative responder for the platform's zone (`MTASTS_DNS_*`).
    static func startZone(
        configuration: PlatformConfiguration,
        apex: String,
        connectionString: String,
        follower: ChangeFollowerStateMachine.Configuration,
        group: EventLoopGroup,
        logger: Logger
    ) throws -> ZoneService {
        func name(_ text: String, variable: String) throws -> DNSName {
            do { return try DNSName(text) } catch {
                throw ConfigurationError(variable: variable, message: "not a DNS name: \(text)")
            }
        }
        let zoneConfiguration = AuthoritativeZoneConfiguration(
            apex: try name(apex, variable: "MTASTS_DNS_ZONE"),
            nameServers: try configuration.dnsNameServers.map { try name($0, variable: "MTASTS_DNS_NS") },
            recordTTL: UInt32(configuration.dnsTTL)
        )
        let service = try ZoneService(
            configuration: .init(
                server: AuthoritativeDNSServerConfiguration(
                    zone: zoneConfiguration,
                    listenAddresses: try configuration.dnsListen.map {
                        try socketAddress($0, variable: "MTASTS_DNS_LISTEN")
                    },
                    rateLimit: .init(responsesPerSecond: configuration.dnsRateLimit)
                ),
                adminAddress: try socketAddress(configuration.dnsAdminListen, variable: "MTASTS_DNS_ADMIN_LISTEN"),
                snapshotFile: configuration.dnsSnapshotFile,
                follower: follower,
                edgeTimeout: TimeInterval(configuration.dnsEdgeTimeout),
                maximumStaleness: TimeInterval(configuration.readyMaximumStaleness)
            ),
            source: try StoreZoneSource(connectionString: connectionString, reporting: reporting(configuration)),
            group: group,
            logger: logger.with(["role": "dns"])
        )
        try service.start()
        let addresses = service.localAddresses.map(\.description).joined(separator: ", ")
        CommandRunner.writeOut(
            "dns:    \(apex) on \(addresses) (UDP and TCP)\n"
                + "        http://\(configuration.dnsAdminListen)/metrics (and /healthz, /readyz)\n"
        )
        return service
    }

    /// Starts the JSON API (and the web form) on its listener; handlers run on `blocking` threads.
    /// Starts the API listener: HTTPS with the platform's certificate when `MTASTS_API_HOSTNAME` is set (with a
    /// timer that picks up renewals), else plain HTTP, which only a loopback address or `MTASTS_API_PLAIN_HTTP=on`
    /// may serve.
    static func startAPI(
        configuration: PlatformConfiguration,
        pool: PostgresPool,
        keyring: Keyring,
        group: EventLoopGroup,
        blocking: BlockingPool,
        metrics: APIMetrics? = nil,
        logger: Logger
    ) throws -> (HTTPServer, (any DispatchSourceTimer)?) {
        let (tls, refresh) = try apiTLS(configuration: configuration, pool: pool, keyring: keyring, logger: logger)
        let dns = try dnsClient(configuration)
        let environment = APIEnvironment(
            store: DataStore(pool: pool),
            domainLimit: configuration.domainLimit,
            edgeHostname: configuration.edgeHostname,
            dnsClient: dns,
            alertMailAvailable: configuration.smtpURL != nil,
            checks: CheckService(
                engine: try CheckEngine(
                    dns: dns,
                    settings: CheckCommand.checkSettings(configuration),
                    logger: logger.with(["role": "api"])
                ),
                anonymousPerHour: configuration.checkLimitPerAddress
            ),
            dnsZone: configuration.dnsZone,
            publicBaseURL: configuration.publicURL,
            loginLimits: .init(attemptsPerAddress: configuration.loginLimitPerAddress),
            ownershipGrace: TimeInterval(configuration.ownershipGraceDays) * 86_400,
            // The configuration admits only the three modes; anything else would be refused there.
            signupMode: APIEnvironment.SignupMode(rawValue: configuration.signup) ?? .closed,
            signupLimits: .init(
                perAddress: configuration.signupLimitPerAddress,
                global: configuration.signupLimitGlobal
            ),
            keyring: keyring,
            webhookRules: .init(
                allowsInsecureHTTP: configuration.webhookAllowInsecure,
                allowsPrivateAddresses: configuration.webhookAllowPrivate
            ),
            reporting: reporting(configuration),
            enforceReadyDays: configuration.enforceReadyDays,
            logger: logger.with(["role": "api"])
        )
        let staticFiles = try webForm(configuration: configuration, logger: logger)
        let responder = APIResponder(environment: environment, staticFiles: staticFiles, metrics: metrics)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                address: try socketAddress(configuration.apiListen, variable: "MTASTS_API_LISTEN"),
                tls: tls,
                limits: HTTPParserLimits(bodyBytes: 65_536),
                timeouts: HTTPConnectionStateMachine.Configuration(
                    requestTimeout: UInt64(configuration.apiRequestTimeout) * 1_000_000_000,
                    minimumBodyRate: UInt64(configuration.apiMinimumBodyRate)
                ),
                maxConnectionsPerAddress: perAddressCap(configuration.apiMaxConnectionsPerAddress),
                trustedProxies: configuration.trustedProxies,
                serverName: "mtasts",
                overloadedResponse: responder.overloadedResponse
            ),
            group: group,
            responder: responder,
            execution: .pool(blocking),
            logger: logger.with(["role": "api"])
        )
        try server.start()
        CommandRunner.writeOut(
            "api:    \(configuration.publicURL)/v1/ (JSON API)\n"
                + "        http://\(configuration.apiAdminListen)/metrics (and /healthz, /readyz)\n"
        )
        if staticFiles != nil { CommandRunner.writeOut("web:    \(configuration.publicURL)/ (web form)\n") }
        return (server, refresh)
    }

    /// Starts a role's admin listener (`/healthz`, `/readyz`, `/metrics`) on `address`.
    static func startAdmin(
        _ address: ListenAddress,
        variable: String,
        responder: AdminResponder,
        group: EventLoopGroup
    ) throws -> HTTPServer {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                address: try socketAddress(address, variable: variable),
                limits: HTTPParserLimits(bodyBytes: 1024),
                maxConnections: 64
            ),
            group: group,
            responder: responder
        )
        try server.start()
        return server
    }

    /// How edges and DNS responders follow the change log: with `MTASTS_DATABASE_READ_URL` (a replica, which
    /// `NOTIFY` does not reach) they poll it every `MTASTS_DATABASE_READ_POLL_MS`.
    static func followerConfiguration(
        _ configuration: PlatformConfiguration
    ) -> ChangeFollowerStateMachine.Configuration {
        guard configuration.databaseReadURL != nil else { return .init() }
        return .init(pollInterval: .milliseconds(configuration.databaseReadPollMilliseconds))
    }

    /// Refuses plain HTTP on a non-loopback API address unless it was asked for (`MTASTS_API_PLAIN_HTTP=on`,
    /// behind a TLS proxy): credentials must not cross the network in the clear by default.
    static func checkAPITransport(_ configuration: PlatformConfiguration) throws {
        guard configuration.apiHostname == nil, !configuration.apiPlainHTTP else { return }
        let host = configuration.apiListen.host
        guard !(["::1", "localhost"].contains(host) || host.hasPrefix("127.")) else { return }
        throw ConfigurationError(
            variable: "MTASTS_API_HOSTNAME",
            message: "the API would serve plain HTTP on \(configuration.apiListen): set MTASTS_API_HOSTNAME for "
                + "built-in HTTPS, or MTASTS_API_PLAIN_HTTP=on behind a TLS proxy (MTASTS_TRUSTED_PROXIES)"
        )
    }

    /// The API listener's TLS context and its certificate refresh timer, or nil for plain HTTP.
    static func apiTLS(
        configuration: PlatformConfiguration,
        pool: PostgresPool,
        keyring: Keyring,
        logger: Logger
    ) throws -> (TLSContext?, (any DispatchSourceTimer)?) {
        guard let host = configuration.apiHostname else { return (nil, nil) }
        let (resolver, timer) = platformCertificate(
            host: host,
            pool: pool,
            keyring: keyring,
            logger: logger,
            role: "api"
        )
        if !resolver.hasCertificate {
            logger.notice(
                "no certificate for the API yet; HTTPS handshakes fail until the worker has one",
                ["host": host]
            )
        }
        let context = try TLSContext.makeServer(configuration: .server)
        context.setServerNameResolver(resolver)
        return (context, timer)
    }

    /// The certificate of a platform host (the API's, the reports host's) read from PostgreSQL now and every few
    /// seconds after (the worker renews every couple of months; a new one is picked up within seconds).
    static func platformCertificate(
        host: String,
        pool: PostgresPool,
        keyring: Keyring,
        logger: Logger,
        role: String
    ) -> (PlatformCertificateResolver, any DispatchSourceTimer) {
        let resolver = PlatformCertificateResolver(
            host: host,
            store: DataStore(pool: pool),
            keyring: keyring,
            logger: logger.with(["role": role])
        )
        resolver.refresh()
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 5, repeating: 5)
        timer.setEventHandler { resolver.refresh() }
        timer.resume()
        return (resolver, timer)
    }

    /// The web form's files read into memory from `MTASTS_PUBLIC_DIR`; nil (with a warning) when the default
    /// folder is absent, an error when a configured one is.
    static func webForm(configuration: PlatformConfiguration, logger: Logger) throws -> StaticFiles? {
        guard let folder = ResourceDirectory.find(configured: configuration.publicDirectory, name: "Public") else {
            if configuration.publicDirectoryIsExplicit {
                throw ConfigurationError(
                    variable: "MTASTS_PUBLIC_DIR",
                    message: "no web form folder at \(configuration.publicDirectory)"
                )
            }
            logger.warning(
                "no Public/ folder found; the web form is not served",
                ["dir": configuration.publicDirectory]
            )
            return nil
        }
        do {
            let files = try StaticFiles(directory: folder)
            guard files.files["/"] != nil else {
                throw ConfigurationError(variable: "MTASTS_PUBLIC_DIR", message: "\(folder.path) has no index.html")
            }
            logger.info("web form loaded", ["dir": folder.path, "files": String(files.files.count - 1)])
            return files
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(variable: "MTASTS_PUBLIC_DIR", message: "cannot read \(folder.path): \(error)")
        }
    }

    /// Applies pending migrations, or with `migrate == false` refuses to run while any are pending.
    /// - Parameter connectionString: the database to migrate, or (without `migrate`) to check; a read-only role
    ///   checks the replica it reads.
    static func prepareSchema(
        migrate: Bool,
        connectionString: String,
        configuration: PlatformConfiguration,
        logger: Logger
    ) throws {
        if migrate {
            try DatabaseSetup.migrate(
                connectionString: connectionString,
                configuration: configuration,
                logger: logger
            )
            return
        }
        let files = try MigrationFile.load(
            directory: try DatabaseSetup.migrationsDirectory(configuration: configuration)
        )
        let pending = try Migrator(files: files).pending(
            using: PostgresConnection(connectionString: connectionString)
        )
        guard pending.isEmpty else {
            throw ConfigurationError(
                variable: "MTASTS_DATABASE_URL",
                message: "\(pending.count) migration(s) pending; run `mtasts migrate` first"
            )
        }
    }

    /// Starts the background worker (certificates, renewals, checks, alerts, MX-change plans, offboarding) and its
    /// admin listener (`/metrics`).
    static func startWorker(
        configuration: PlatformConfiguration,
        connectionString: String,
        keyring: Keyring,
        readiness: WriterReadiness,
        group: EventLoopGroup,
        logger: Logger
    ) throws -> (service: WorkerService, admin: HTTPServer) {
        var acme = ACMEClientConfiguration(directoryURL: configuration.acmeDirectory)
        acme.contactEmails = configuration.acmeEmail.map { [$0] } ?? []
        if let eab = configuration.acmeEAB {
            do {
                acme.externalAccountBinding = try ExternalAccountBinding(keyID: eab.keyID, macKeyBase64URL: eab.hmacKey)
            } catch {
                throw ConfigurationError(variable: "MTASTS_ACME_EAB_HMAC_KEY", message: "not a base64url HMAC key")
            }
        }
        let settings = WorkerAssembly.Settings(
            acme: acme,
            caBundle: configuration.acmeCABundle,
            caaIdentities: configuration.acmeCAAIdentities,
            edgeHostname: configuration.edgeHostname,
            http01Port: UInt16(configuration.acmeHTTP01Port),
            service: .init(
                concurrency: configuration.workerConcurrency,
                scanInterval: .milliseconds(Int64(configuration.workerScanSeconds * 1000)),
                platformHosts: [configuration.apiHostname, configuration.reportsHostname].compactMap { $0 },
                auditLogDays: configuration.auditLogDays
            ),
            checkCABundle: configuration.checkCABundle,
            checkHTTPSPort: UInt16(configuration.checkHTTPSPort),
            checkSMTPPort: UInt16(configuration.checkSMTPPort),
            checkTimeout: .seconds(configuration.checkTimeout),
            checkInterval: TimeInterval(configuration.checkInterval),
            dnsZone: configuration.dnsZone,
            ownershipGrace: TimeInterval(configuration.ownershipGraceDays) * 86_400,
            orderBudget: .init(
                ordersPerHour: configuration.acmeOrdersPerHour,
                ordersPerAccount: configuration.acmeOrdersPerAccount
            ),
            maximumFailedOrders: configuration.acmeMaxFailedOrders,
            webhooks: .init(
                allowsInsecureHTTP: configuration.webhookAllowInsecure,
                allowsPrivateAddresses: configuration.webhookAllowPrivate
            ),
            mail: .init(submission: try mailSubmission(configuration), publicURL: configuration.publicURL)
        )
        let metrics = WorkerMetrics()
        let worker = try WorkerAssembly.make(
            settings: settings,
            connectionString: connectionString,
            keyring: keyring,
            dns: try dnsClient(configuration),
            metrics: metrics,
            logger: logger.with(["role": "worker"])
        )
        let admin = try startAdmin(
            configuration.workerAdminListen,
            variable: "MTASTS_WORKER_ADMIN_LISTEN",
            responder: AdminResponder(readiness: readiness.problems, metrics: { metrics.render() }),
            group: group
        )
        worker.start()
        CommandRunner.writeOut(
            "worker: ACME directory \(configuration.acmeDirectory)\n"
                + "        http://\(configuration.workerAdminListen)/metrics (and /healthz, /readyz)\n"
        )
        return (worker, admin)
    }

    /// The relay and sender of alert e-mail (`MTASTS_SMTP_URL`, `MTASTS_MAIL_FROM`); nil when no relay is set.
    static func mailSubmission(_ configuration: PlatformConfiguration) throws -> SMTPSubmissionConfiguration? {
        guard let url = configuration.smtpURL, let from = configuration.mailFrom else { return nil }
        let relay: SMTPRelayURL
        do { relay = try SMTPRelayURL(url) } catch {
            throw ConfigurationError(variable: "MTASTS_SMTP_URL", message: error.message)
        }
        let sender: SMTPMailbox
        do { sender = try SMTPMailbox(parsing: from) } catch {
            throw ConfigurationError(variable: "MTASTS_MAIL_FROM", message: error.message)
        }
        var submission: SMTPSubmissionConfiguration
        do {
            submission = try SMTPSubmissionConfiguration(
                relay: relay,
                sender: sender,
                localHostName: configuration.edgeHostname
            )
        } catch {
            throw ConfigurationError(variable: "MTASTS_SMTP_URL", message: error.message)
        }
        submission.resolver = .dns(try dnsClient(configuration))
        return submission
    }

    /// The DNS client for live checks, from `MTASTS_DNS_RESOLVERS`.
    static func dnsClient(_ configuration: PlatformConfiguration) throws -> DNSClient {
        var resolvers: [DNSServerAddress] = []
        for resolver in configuration.dnsResolvers {
            do {
                resolvers.append(try DNSServerAddress(resolver.description))
            } catch {
                throw ConfigurationError(
                    variable: "MTASTS_DNS_RESOLVERS",
                    message: "resolvers must be IP literals, got \(resolver)"
                )
            }
        }
        return DNSClient(resolvers: resolvers)
    }

    /// A per-address connection cap as configured: 0 means none.
    static func perAddressCap(_ configured: Int) -> Int? {
        configured == 0 ? nil : configured
    }

    /// Resolves a configured listen address (IP literals or `localhost`).
    static func socketAddress(_ address: ListenAddress, variable: String) throws -> SocketAddress {
        let host = address.host == "localhost" ? "127.0.0.1" : address.host
        do {
            return try SocketAddress(ipAddress: host, port: UInt16(address.port))
        } catch {
            throw ConfigurationError(
                variable: variable,
                message: "listen addresses must be IP literals, got \(address)"
            )
        }
    }

    /// The connection string without a password, for printing.
    static func redacted(_ connectionString: String) -> String {
        if var components = URLComponents(string: connectionString), components.scheme?.hasPrefix("postgres") == true {
            if components.password != nil { components.password = "****" }
            return components.string ?? "(database URL)"
        }
        return connectionString.split(separator: " ").map { part in
            part.hasPrefix("password=") ? "password=****" : String(part)
        }.joined(separator: " ")
    }
}
