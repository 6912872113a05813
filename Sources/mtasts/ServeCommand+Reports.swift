import API
import Configuration
import Crypto
import Database
import Dispatch
import Foundation
import HTTPCore
import Logging
import ReportIntake
import Store
import SystemIO
import TLS
import TLSReporting
import WebServer

/// The `reports` role (docs/reports.md): the HTTPS door on the edge's listener, the importer, and the admin
/// listener.
extension ServeCommand {
    /// The platform's TLS-RPT addresses, as the operator configured them.
    static func reporting(_ configuration: PlatformConfiguration) -> ReportingAddresses {
        ReportingAddresses(httpsHost: configuration.reportsHostname, mailDomain: configuration.reportsMailDomain)
    }

    /// This process's spool, tokens and acceptor, when the operator takes reports; started.
    static func reportReception(
        configuration: PlatformConfiguration,
        connectionString: String,
        logger: Logger
    ) throws -> ReportReception? {
        guard reporting(configuration).isEnabled else { return nil }
        let reception = try ReportReception(
            spoolDirectory: configuration.reportsSpoolDirectory,
            store: DataStore(connectionString: connectionString, maxConnections: 2),
            logger: logger
        )
        reception.start()
        return reception
    }

    /// The HTTPS door on the edge: the virtual host with its certificate resolver, its pool, its refresh timer.
    typealias ReportsDoor = (
        host: (virtualHost: HTTPVirtualHost, resolver: any ServerNameResolver), pool: BlockingPool,
        timer: any DispatchSourceTimer
    )

    /// What the edge's HTTPS listener needs to answer for `MTASTS_REPORTS_HOSTNAME`: the virtual host (the HTTPS
    /// door on a small pool of its own) and its certificate, kept current from PostgreSQL.
    static func reportsHost(
        configuration: PlatformConfiguration,
        reception: ReportReception,
        pool: PostgresPool,
        keyring: Keyring,
        logger: Logger
    ) -> ReportsDoor? {
        guard let host = configuration.reportsHostname else { return nil }
        let (resolver, timer) = platformCertificate(
            host: host,
            pool: pool,
            keyring: keyring,
            logger: logger,
            role: "reports"
        )
        if !resolver.hasCertificate {
            logger.notice(
                "no certificate for the reports host yet; HTTPS reports fail until the worker has one",
                ["host": host]
            )
        }
        // Two threads check and fsync reports; a burst beyond 32 waiting gets 503 and the sender retries.
        let blocking = BlockingPool(numberOfThreads: 2, name: "reports", maximumQueued: 32)
        let virtualHost = HTTPVirtualHost(
            serverNames: [host],
            limits: HTTPParserLimits(
                requestLineBytes: 4096,
                headerBytes: 16_384,
                headerCount: 64,
                bodyBytes: ReportHTTPResponder.maximumBodyBytes
            ),
            responder: ReportHTTPResponder(
                acceptor: reception.acceptor,
                problemBase: configuration.publicURL + "/problems/"
            ),
            pool: blocking
        )
        return ((virtualHost, resolver), blocking, timer)
    }

    /// The running parts of the `reports` role.
    struct ReportsRole {
        let importLoop: ReportImportLoop
        let admin: HTTPServer

        func stop() {
            admin.shutdown(gracePeriod: .seconds(1))
            importLoop.stop()
        }
    }

    /// Starts the importer and the admin listener of the `reports` role.
    static func startReports(
        configuration: PlatformConfiguration,
        reception: ReportReception,
        connectionString: String,
        group: EventLoopGroup,
        logger: Logger
    ) throws -> ReportsRole {
        let logger = logger.with(["role": "reports"])
        let importer = ReportImporter(
            spool: reception.spool,
            store: DataStore(connectionString: connectionString, maxConnections: 2),
            logger: logger
        )
        let importLoop = ReportImportLoop(importer: importer, wake: reception.accepted, logger: logger)
        importLoop.start()
        let admin = HTTPServer(
            configuration: HTTPServerConfiguration(
                address: try socketAddress(configuration.reportsAdminListen, variable: "MTASTS_REPORTS_ADMIN_LISTEN"),
                limits: HTTPParserLimits(bodyBytes: 1024),
                maxConnections: 64
            ),
            group: group,
            responder: ReportMetricsResponder(reception: reception, importer: importer)
        )
        try admin.start()
        var lines = ""
        if let host = configuration.reportsHostname {
            lines += "reports: https://\(host)/v1/tlsrpt/<token> on the edge's HTTPS listener\n"
        }
        lines += "         spool \(configuration.reportsSpoolDirectory)\n"
        lines += "         http://\(configuration.reportsAdminListen)/metrics\n"
        CommandRunner.writeOut(lines)
        return ReportsRole(importLoop: importLoop, admin: admin)
    }
}
