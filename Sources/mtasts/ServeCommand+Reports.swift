import API
import Configuration
import Crypto
import Database
import Dispatch
import Foundation
import HTTPCore
import Logging
import ReportIntake
import SMTPServer
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

    /// The HTTPS door on the edge: the virtual host with its certificate resolver, and its pool.
    typealias ReportsDoor = (host: (virtualHost: HTTPVirtualHost, resolver: any ServerNameResolver), pool: BlockingPool)

    /// The reports host's certificate, read from PostgreSQL once per process for both doors (the edge's HTTPS
    /// listener and the SMTP door's STARTTLS), with the timer that picks up renewals.
    static func reportsCertificate(
        configuration: PlatformConfiguration,
        pool: PostgresPool,
        keyring: Keyring,
        logger: Logger
    ) -> (resolver: PlatformCertificateResolver, timer: any DispatchSourceTimer)? {
        guard let host = configuration.reportsHostname else { return nil }
        let certificate = platformCertificate(host: host, pool: pool, keyring: keyring, logger: logger, role: "reports")
        if !certificate.0.hasCertificate {
            logger.notice(
                "no certificate for the reports host yet; reports by HTTPS and STARTTLS fail until the worker has one",
                ["host": host]
            )
        }
        return certificate
    }

    /// What the edge's HTTPS listener needs to answer for `MTASTS_REPORTS_HOSTNAME`: the virtual host (the HTTPS
    /// door on a small pool of its own) and the host's certificate.
    static func reportsHost(
        configuration: PlatformConfiguration,
        reception: ReportReception,
        certificate: PlatformCertificateResolver
    ) -> ReportsDoor {
        let host = certificate.host
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
        return ((virtualHost, certificate), blocking)
    }

    /// The running parts of the `reports` role.
    struct ReportsRole {
        let importLoop: ReportImportLoop
        let admin: HTTPServer
        let smtp: (listener: SMTPListener, pool: BlockingPool)?

        func stop() {
            if let smtp {
                smtp.listener.shutdown(gracePeriod: .seconds(10))
                smtp.pool.shutdown()
            }
            admin.shutdown(gracePeriod: .seconds(1))
            importLoop.stop()
        }
    }

    /// Starts the importer, the SMTP door (with `MTASTS_REPORTS_MAIL_DOMAIN`) and the admin listener of the
    /// `reports` role.
    static func startReports(
        configuration: PlatformConfiguration,
        reception: ReportReception,
        connectionString: String,
        readiness: WriterReadiness,
        certificate: PlatformCertificateResolver?,
        group: EventLoopGroup,
        logger: Logger
    ) throws -> ReportsRole {
        let logger = logger.with(["role": "reports"])
        let smtp = try certificate.flatMap { certificate in
            try startSMTP(
                configuration: configuration,
                reception: reception,
                certificate: certificate,
                group: group,
                logger: logger
            )
        }
        let importer = ReportImporter(
            spool: reception.spool,
            store: DataStore(connectionString: connectionString, maxConnections: 2),
            logger: logger
        )
        let importLoop = ReportImportLoop(importer: importer, wake: reception.accepted, logger: logger)
        importLoop.start()
        let metrics = ReportMetrics(reception: reception, importer: importer) { [metrics = smtp?.listener.metrics] in
            metrics.map(ReportSMTPMetrics.render) ?? ""
        }
        let admin = try startAdmin(
            configuration.reportsAdminListen,
            variable: "MTASTS_REPORTS_ADMIN_LISTEN",
            responder: AdminResponder(readiness: readiness.problems, metrics: metrics.render),
            group: group
        )
        var lines = ""
        if let host = configuration.reportsHostname {
            lines += "reports: https://\(host)/v1/tlsrpt/<token> on the edge's HTTPS listener\n"
        }
        if let domain = configuration.reportsMailDomain, let smtp {
            let address = smtp.listener.localAddress?.description ?? configuration.reportsSMTPListen.description
            lines += "         mailto:<token>@\(domain) on smtp://\(address) (STARTTLS)\n"
        }
        lines += "         spool \(configuration.reportsSpoolDirectory)\n"
        lines += "         http://\(configuration.reportsAdminListen)/metrics (and /healthz, /readyz)\n"
        CommandRunner.writeOut(lines)
        return ReportsRole(importLoop: importLoop, admin: admin, smtp: smtp)
    }

    /// The SMTP door: `<token>@MTASTS_REPORTS_MAIL_DOMAIN` on `MTASTS_REPORTS_SMTP_LISTEN`, STARTTLS with the
    /// reports host's certificate (presented with or without SNI), deliveries checked and spooled on a pool.
    static func startSMTP(
        configuration: PlatformConfiguration,
        reception: ReportReception,
        certificate: PlatformCertificateResolver,
        group: EventLoopGroup,
        logger: Logger
    ) throws -> (listener: SMTPListener, pool: BlockingPool)? {
        guard let domain = configuration.reportsMailDomain else { return nil }
        let host = certificate.host
        // The certificate's contexts offer ALPN http/1.1 only; a mail client offers none (or no match) and gets none.
        let tls = try TLSContext.makeServer(configuration: .server)
        tls.setServerNameResolver(SingleNameServerNameResolver(base: certificate, name: host))
        let deliveries = BlockingPool(numberOfThreads: 2, name: "smtp-reports", maximumQueued: 32)
        let listener = SMTPListener(
            configuration: SMTPListenerConfiguration(
                address: try socketAddress(configuration.reportsSMTPListen, variable: "MTASTS_REPORTS_SMTP_LISTEN"),
                session: SMTPSessionConfiguration(hostname: host),
                tls: tls
            ),
            group: group,
            receiver: ReportSMTPReceiver(acceptor: reception.acceptor, mailDomain: domain),
            deliveryPool: deliveries,
            logger: logger.with(["listener": "smtp"])
        )
        try listener.start()
        return (listener, deliveries)
    }
}
