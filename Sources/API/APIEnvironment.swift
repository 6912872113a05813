package import Crypto
package import DNS
package import Foundation
package import Logging
package import Store

/// Everything the API needs from the outside, injected so tests can use a real database and DNS with a
/// movable clock and cheap password hashing.
package struct APIEnvironment: Sendable {
    /// How many failed logins or attempts are allowed per window.
    package struct LoginLimits: Sendable {
        /// Window length in seconds.
        package var window: Int
        /// Failed logins per account (email) per window.
        package var failuresPerAccount: Int
        /// Login attempts (failed or not) per client address per window.
        package var attemptsPerAddress: Int

        package init(window: Int = 900, failuresPerAccount: Int = 5, attemptsPerAddress: Int = 30) {
            self.window = window
            self.failuresPerAccount = failuresPerAccount
            self.attemptsPerAddress = attemptsPerAddress
        }
    }

    /// Every query the API runs.
    package var store: DataStore
    /// `MTASTS_DOMAIN_LIMIT`: domains per account unless the account row says otherwise.
    package var domainLimit: Int
    /// `MTASTS_EDGE_HOSTNAME`: the target of every `mta-sts.<domain>` CNAME.
    package var edgeHostname: String
    /// Resolver client for live checks (verification, MX, published records).
    package var dnsClient: DNSClient
    /// `MTASTS_DNS_ZONE`: the platform's own zone tenants may CNAME `_mta-sts` and `_smtp._tls` into; nil
    /// when the `dns` role is not used.
    package var dnsZone: String?
    /// The current time; tests move it.
    package var clock: @Sendable () -> Date
    /// scrypt parameters for new password hashes.
    package var passwordParameters: PasswordHasher.Parameters
    /// The public base URL of the API (`https://api.example.net`), used for problem `type` URIs.
    package var publicBaseURL: String
    /// How long a login session lasts.
    package var sessionLifetime: TimeInterval
    /// Login rate limits.
    package var loginLimits: LoginLimits
    /// Where request failures are logged.
    package var logger: Logger

    package init(
        store: DataStore,
        domainLimit: Int,
        edgeHostname: String,
        dnsClient: DNSClient,
        dnsZone: String? = nil,
        clock: @escaping @Sendable () -> Date = { Date() },
        passwordParameters: PasswordHasher.Parameters = .default,
        publicBaseURL: String,
        sessionLifetime: TimeInterval = 12 * 3600,
        loginLimits: LoginLimits = LoginLimits(),
        logger: Logger = Logger(label: "api")
    ) {
        self.store = store
        self.domainLimit = domainLimit
        self.edgeHostname = edgeHostname
        self.dnsClient = dnsClient
        self.dnsZone = dnsZone
        self.clock = clock
        self.passwordParameters = passwordParameters
        self.publicBaseURL = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        self.sessionLifetime = sessionLifetime
        self.loginLimits = loginLimits
        self.logger = logger
    }

    /// The prefix of problem `type` URIs.
    package var problemBase: String { publicBaseURL + "/problems/" }

    /// The password hasher for new hashes and verification.
    package var passwordHasher: PasswordHasher { PasswordHasher(parameters: passwordParameters) }
}
