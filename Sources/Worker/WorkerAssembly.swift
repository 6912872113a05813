package import ACME
import Checks
package import Crypto
package import DNS
package import Foundation
package import Logging
package import Store
import SystemIO
import TLS
package import WebClient

/// Builds a ``WorkerService`` from settings: the ACME client over HTTPS, the challenge publisher, the issuer,
/// the webhook deliverer.
/// `mtasts worker`/`serve` and the end-to-end tests use the same wiring.
package enum WorkerAssembly {
    package struct Settings: Sendable {
        package var acme: ACMEClientConfiguration
        /// PEM bundle trusted for the ACME server; nil means the system roots.
        package var caBundle: String?
        package var caaIdentities: [String]
        package var edgeHostname: String
        package var http01Port: UInt16
        package var service: WorkerService.Configuration
        /// Whether the worker looks at served domains from the outside (records, policy over HTTPS).
        package var checksDomains: Bool
        /// PEM roots the checks trust for policy hosts, as senders do; nil means the system's.
        package var checkCABundle: String?
        /// The port policies are fetched from by the checks (443; tests run edges elsewhere).
        package var checkHTTPSPort: UInt16
        /// The port MX hosts are probed on by the checks (25; tests run SMTP servers elsewhere).
        package var checkSMTPPort: UInt16
        /// The budget of one check.
        package var checkTimeout: Duration
        /// How often a domain whose last check was clean is checked again.
        package var checkInterval: TimeInterval
        /// The platform's zone (`MTASTS_DNS_ZONE`), so a CNAME into it counts as delegated.
        package var dnsZone: String?
        /// How long a served domain may show no sign of its tenant's control before it is offboarded as lost.
        package var ownershipGrace: TimeInterval
        /// The platform's ACME order budget.
        package var orderBudget: ACMEOrderBudgetRepository.Budget
        /// Orders refused in a row for one name before the worker waits for its tenant.
        package var maximumFailedOrders: Int
        /// How webhook deliveries are made (`MTASTS_WEBHOOK_ALLOW_INSECURE`, `MTASTS_WEBHOOK_ALLOW_PRIVATE`).
        package var webhooks: WebhookDeliverer.Settings
        /// How alert e-mail is sent (`MTASTS_SMTP_URL`, `MTASTS_MAIL_FROM`); nil sends none from this worker.
        package var mail: EmailAlertDeliverer.Settings?

        package init(
            acme: ACMEClientConfiguration,
            caBundle: String?,
            caaIdentities: [String],
            edgeHostname: String,
            http01Port: UInt16,
            service: WorkerService.Configuration,
            checksDomains: Bool = true,
            checkCABundle: String? = nil,
            checkHTTPSPort: UInt16 = 443,
            checkSMTPPort: UInt16 = 25,
            checkTimeout: Duration = CheckSettings.defaultTimeout,
            checkInterval: TimeInterval = DomainChecker.Settings.defaultInterval,
            dnsZone: String? = nil,
            ownershipGrace: TimeInterval = DomainChecker.Settings.defaultOwnershipGrace,
            orderBudget: ACMEOrderBudgetRepository.Budget = .init(),
            maximumFailedOrders: Int = 5,
            webhooks: WebhookDeliverer.Settings = .init(),
            mail: EmailAlertDeliverer.Settings? = nil
        ) {
            self.acme = acme
            self.caBundle = caBundle
            self.caaIdentities = caaIdentities
            self.edgeHostname = edgeHostname
            self.http01Port = http01Port
            self.service = service
            self.checksDomains = checksDomains
            self.checkCABundle = checkCABundle
            self.checkHTTPSPort = checkHTTPSPort
            self.checkSMTPPort = checkSMTPPort
            self.checkTimeout = checkTimeout
            self.checkInterval = checkInterval
            self.dnsZone = dnsZone
            self.ownershipGrace = ownershipGrace
            self.orderBudget = orderBudget
            self.maximumFailedOrders = maximumFailedOrders
            self.webhooks = webhooks
            self.mail = mail
        }
    }

    /// - Parameters:
    ///   - connectionString: the worker opens its own pool (one connection per job and delivery thread, plus the
    ///     scheduler and the challenge publisher), so it never waits for connections other roles hold.
    package static func make(
        settings: Settings,
        connectionString: String,
        keyring: Keyring,
        dns: DNSClient,
        metrics: WorkerMetrics? = nil,
        logger: Logger
    ) throws -> WorkerService {
        let store = DataStore(
            connectionString: connectionString,
            maxConnections: settings.service.concurrency + settings.service.deliveryConcurrency + 3
        )
        var acmeHTTP = HTTPClientConfiguration(trustRoots: settings.caBundle.map { .file($0) } ?? .systemDefault)
        acmeHTTP.userAgent = settings.acme.userAgent
        let transport = HTTPSACMETransport(client: try HTTPClient(configuration: acmeHTTP, logger: logger))
        // The self-check resolves names like the CA does: through the configured recursive resolvers.
        var checkHTTP = HTTPClientConfiguration()
        checkHTTP.requestTimeout = .seconds(2)
        checkHTTP.connectTimeout = .seconds(2)
        checkHTTP.resolver = resolver(using: dns)
        let publisher = EdgeChallengePublisher(
            store: store,
            selfCheckClient: try HTTPClient(configuration: checkHTTP, logger: logger),
            selfCheckPort: settings.http01Port
        )
        let acmeConfiguration = settings.acme
        let issuer = CertificateIssuer(
            store: store,
            keyring: keyring,
            dns: dns,
            settings: .init(
                edgeHostname: settings.edgeHostname,
                caaIdentities: settings.caaIdentities,
                budget: settings.orderBudget,
                maximumFailedOrders: settings.maximumFailedOrders
            ),
            publisher: publisher,
            makeClient: {
                try ACMEAccountLoader.load(
                    store: store,
                    keyring: keyring,
                    configuration: acmeConfiguration,
                    transport: transport,
                    logger: logger
                )
            },
            metrics: metrics,
            logger: logger
        )
        let workerID = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8))"
        // The client checks the addresses a webhook's host resolves to, and connects to exactly those.
        let webhookClient = try WebhookDeliverer.makeClient(
            settings: settings.webhooks,
            resolver: resolver(using: dns),
            logger: logger
        )
        return WorkerService(
            configuration: settings.service,
            store: store,
            listener: try ChangeListener(connectionString: connectionString),
            issuer: issuer,
            domainChecker: settings.checksDomains
                ? try domainChecker(settings: settings, store: store, dns: dns, logger: logger) : nil,
            keyAudit: CertificateKeyAudit(store: store, keyring: keyring, logger: logger),
            deliverer: WebhookDeliverer(
                store: store,
                keyring: keyring,
                client: webhookClient,
                settings: settings.webhooks,
                workerID: workerID,
                logger: logger
            ),
            mailer: try settings.mail.map {
                try EmailAlertDeliverer(store: store, settings: $0, workerID: workerID, logger: logger)
            },
            planner: MXChangePlanner(store: store, dns: dns, logger: logger),
            metrics: metrics,
            workerID: workerID,
            logger: logger
        )
    }

    /// Host names resolved through `dns` (the configured recursive resolvers), as every name the worker looks up.
    package static func resolver(using dns: DNSClient) -> HostResolver {
        HostResolver { name in
            ((try? dns.addresses(name)) ?? []).compactMap { try? SocketAddress(ipAddress: "\($0)", port: 0) }
        }
    }

    /// The check of served domains: names through `dns`, policies over HTTPS and MX hosts over SMTP trusting what
    /// senders trust.
    private static func domainChecker(
        settings: Settings,
        store: DataStore,
        dns: DNSClient,
        logger: Logger
    ) throws -> DomainChecker {
        let engine = try CheckEngine(
            dns: dns,
            settings: CheckSettings(
                edgeHostname: settings.edgeHostname,
                caaIdentities: settings.caaIdentities,
                trustRoots: settings.checkCABundle.map { .file($0) } ?? .systemDefault,
                httpsPort: settings.checkHTTPSPort,
                smtpPort: settings.checkSMTPPort,
                timeout: settings.checkTimeout
            ),
            logger: logger
        )
        return DomainChecker(
            store: store,
            dns: dns,
            engine: engine,
            settings: .init(
                zone: settings.dnsZone,
                interval: settings.checkInterval,
                edgeHostname: settings.edgeHostname,
                ownershipGrace: settings.ownershipGrace
            ),
            logger: logger
        )
    }
}
