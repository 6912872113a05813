package import ACME
package import Crypto
package import DNS
package import Foundation
package import Logging
package import Store
import SystemIO
import TLS
import WebClient

/// Builds a ``WorkerService`` from settings: the ACME client over HTTPS, the challenge publisher, the issuer.
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
        /// The platform's zone (`MTASTS_DNS_ZONE`), so a CNAME into it counts as delegated.
        package var dnsZone: String?
        /// How long a served domain may show no sign of its tenant's control before it is offboarded as lost.
        package var ownershipGrace: TimeInterval
        /// The platform's ACME order budget.
        package var orderBudget: ACMEOrderBudgetRepository.Budget
        /// Orders refused in a row for one name before the worker waits for its tenant.
        package var maximumFailedOrders: Int

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
            dnsZone: String? = nil,
            ownershipGrace: TimeInterval = DomainChecker.Settings.defaultOwnershipGrace,
            orderBudget: ACMEOrderBudgetRepository.Budget = .init(),
            maximumFailedOrders: Int = 5
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
            self.dnsZone = dnsZone
            self.ownershipGrace = ownershipGrace
            self.orderBudget = orderBudget
            self.maximumFailedOrders = maximumFailedOrders
        }
    }

    /// - Parameters:
    ///   - connectionString: the worker opens its own pool (one connection per job thread, plus the scheduler
    ///     and the challenge publisher), so it never waits for connections other roles hold.
    package static func make(
        settings: Settings,
        connectionString: String,
        keyring: Keyring,
        dns: DNSClient,
        logger: Logger
    ) throws -> WorkerService {
        let store = DataStore(connectionString: connectionString, maxConnections: settings.service.concurrency + 3)
        var acmeHTTP = HTTPClientConfiguration(trustRoots: settings.caBundle.map { .file($0) } ?? .systemDefault)
        acmeHTTP.userAgent = settings.acme.userAgent
        let transport = HTTPSACMETransport(client: try HTTPClient(configuration: acmeHTTP, logger: logger))
        // The self-check resolves names like the CA does: through the configured recursive resolvers.
        var checkHTTP = HTTPClientConfiguration()
        checkHTTP.requestTimeout = .seconds(2)
        checkHTTP.connectTimeout = .seconds(2)
        checkHTTP.resolver = HostResolver { name in
            ((try? dns.addresses(name)) ?? []).compactMap { try? SocketAddress(ipAddress: "\($0)", port: 0) }
        }
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
            logger: logger
        )
        let workerID = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8))"
        return WorkerService(
            configuration: settings.service,
            store: store,
            listener: try ChangeListener(connectionString: connectionString),
            issuer: issuer,
            domainChecker: settings.checksDomains
                ? try domainChecker(settings: settings, store: store, dns: dns, logger: logger) : nil,
            keyAudit: CertificateKeyAudit(store: store, keyring: keyring, logger: logger),
            workerID: workerID,
            logger: logger
        )
    }

    /// The outside view of served domains: names through `dns`, policies over HTTPS trusting what senders trust.
    private static func domainChecker(
        settings: Settings,
        store: DataStore,
        dns: DNSClient,
        logger: Logger
    ) throws -> DomainChecker {
        var configuration = HTTPClientConfiguration(
            trustRoots: settings.checkCABundle.map { .file($0) } ?? .systemDefault
        )
        configuration.requestTimeout = .seconds(10)
        configuration.connectTimeout = .seconds(5)
        configuration.maximumBodyBytes = 65_536
        configuration.resolver = HostResolver { name in
            ((try? dns.addresses(name)) ?? []).compactMap { try? SocketAddress(ipAddress: "\($0)", port: 0) }
        }
        return DomainChecker(
            store: store,
            dns: dns,
            client: try HTTPClient(configuration: configuration, logger: logger),
            settings: .init(
                zone: settings.dnsZone,
                httpsPort: settings.checkHTTPSPort,
                edgeHostname: settings.edgeHostname,
                ownershipGrace: settings.ownershipGrace
            ),
            logger: logger
        )
    }
}
