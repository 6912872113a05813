package import Crypto
package import DNS
package import Foundation
package import Logging
package import Store
package import TLSReporting

/// Everything the API needs from the outside, injected so tests can use a real database and DNS with a
/// movable clock and cheap password hashing.
package struct APIEnvironment: Sendable {
    /// Login throttling: progressive delays rather than a lock, so nobody can lock a tenant out.
    package struct LoginLimits: Sendable {
        /// Window in seconds over which attempts and failures are counted.
        package var window: Int
        /// Attempts (failed or not) one client address may make per window, for any accounts: bounds password
        /// spraying from one address. Beyond it, 429 until the oldest attempt leaves the window.
        package var attemptsPerAddress: Int
        /// Failures one address may have for one account before each further attempt waits 2, 4, 8 … seconds
        /// after the previous one (up to ``maximumDelay``); another address is not slowed.
        package var freeFailures: Int
        /// Longest wait between attempts for one account from one address.
        package var maximumDelay: Int
        /// Failures for one account from all addresses before attempts for it are spaced out a little
        /// (one second per further failure, at most ten): slows a guesser spread over many addresses without
        /// locking out the owner.
        package var accountFailuresBeforeDelay: Int

        package init(
            window: Int = 900,
            attemptsPerAddress: Int = 30,
            freeFailures: Int = 3,
            maximumDelay: Int = 300,
            accountFailuresBeforeDelay: Int = 100
        ) {
            self.window = window
            self.attemptsPerAddress = attemptsPerAddress
            self.freeFailures = freeFailures
            self.maximumDelay = maximumDelay
            self.accountFailuresBeforeDelay = accountFailuresBeforeDelay
        }

        /// Seconds to wait after the latest attempt when one address has `failures` failures for an account.
        package func delay(addressFailures failures: Int) -> Int {
            guard failures > freeFailures else { return 0 }
            return min(maximumDelay, 1 << min(failures - freeFailures, 20))
        }

        /// Seconds to wait after the latest attempt for an account with `failures` failures from anywhere.
        package func delay(accountFailures failures: Int) -> Int {
            guard failures > accountFailuresBeforeDelay else { return 0 }
            return min(10, failures - accountFailuresBeforeDelay)
        }
    }

    /// `MTASTS_SIGNUP`: who may create an account.
    package enum SignupMode: String, Sendable, CaseIterable {
        /// Anyone (under ``SignupLimits``).
        case open
        /// Only with a code from `mtasts admin invite`.
        case invite
        /// Nobody: sign-up is refused; existing accounts keep working.
        case closed
    }

    /// Sign-up rate limits: each account costs a memory-hard hash and multiplies every per-account limit.
    package struct SignupLimits: Sendable {
        /// Window in seconds.
        package var window: Int
        /// `MTASTS_SIGNUP_LIMIT_PER_ADDRESS`: sign-ups per client address (IPv6 /64) per window.
        package var perAddress: Int
        /// `MTASTS_SIGNUP_LIMIT_GLOBAL`: sign-ups from everyone per window.
        package var global: Int

        package init(window: Int = 3600, perAddress: Int = 10, global: Int = 200) {
            self.window = window
            self.perAddress = perAddress
            self.global = global
        }
    }

    /// Every query the API runs.
    package var store: DataStore
    /// `MTASTS_DOMAIN_LIMIT`: domains per account unless the account row says otherwise.
    package var domainLimit: Int
    /// `MTASTS_EDGE_HOSTNAME`: the target of every `mta-sts.<domain>` CNAME.
    package var edgeHostname: String
    /// Live checks (verification, MX, published records) under a per-request time budget, a short shared cache and a per-account cap.
    package var liveLookups: LiveLookupService
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
    /// `MTASTS_OWNERSHIP_GRACE_DAYS`: how long a domain may show no sign of control before it is lost.
    package var ownershipGrace: TimeInterval
    /// `MTASTS_SIGNUP`.
    package var signupMode: SignupMode
    /// Sign-up rate limits.
    package var signupLimits: SignupLimits
    /// Whether the operator configured a relay for alert e-mail (`MTASTS_SMTP_URL`).
    package var alertMailAvailable: Bool
    /// The MTA-STS check behind `POST /v1/checks`.
    package var checks: CheckService
    /// Seals webhook secrets at rest (the master key and any previous ones).
    package var keyring: Keyring
    /// `MTASTS_WEBHOOK_ALLOW_INSECURE`, `MTASTS_WEBHOOK_ALLOW_PRIVATE`: which webhook URLs are accepted.
    package var webhookRules: WebhookURLRules
    /// Where request failures are logged.
    package var logger: Logger
    /// The platform's own TLS-RPT addresses (`MTASTS_REPORTS_HOSTNAME`, `MTASTS_REPORTS_MAIL_DOMAIN`).
    package var reporting: ReportingAddresses
    /// Days of TLS reports a `testing` policy needs before `enforce` is accepted without `force` (0: no gate).
    package var enforceReadyDays: Int

    package init(
        store: DataStore,
        domainLimit: Int,
        edgeHostname: String,
        dnsClient: DNSClient,
        alertMailAvailable: Bool = false,
        checks: CheckService,
        liveLookups: LiveLookupService? = nil,
        dnsZone: String? = nil,
        clock: @escaping @Sendable () -> Date = { Date() },
        passwordParameters: PasswordHasher.Parameters = .default,
        publicBaseURL: String,
        sessionLifetime: TimeInterval = 12 * 3600,
        loginLimits: LoginLimits = LoginLimits(),
        ownershipGrace: TimeInterval = 7 * 86_400,
        signupMode: SignupMode = .open,
        signupLimits: SignupLimits = SignupLimits(),
        keyring: Keyring,
        webhookRules: WebhookURLRules = WebhookURLRules(),
        reporting: ReportingAddresses = ReportingAddresses(),
        enforceReadyDays: Int = 0,
        logger: Logger = Logger(label: "api")
    ) {
        self.reporting = reporting
        self.enforceReadyDays = enforceReadyDays
        self.store = store
        self.domainLimit = domainLimit
        self.edgeHostname = edgeHostname
        self.liveLookups = liveLookups ?? LiveLookupService(client: dnsClient)
        self.checks = checks
        self.alertMailAvailable = alertMailAvailable
        self.dnsZone = dnsZone
        self.clock = clock
        self.passwordParameters = passwordParameters
        self.publicBaseURL = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        self.sessionLifetime = sessionLifetime
        self.loginLimits = loginLimits
        self.ownershipGrace = ownershipGrace
        self.signupMode = signupMode
        self.signupLimits = signupLimits
        self.keyring = keyring
        self.webhookRules = webhookRules
        self.logger = logger
    }

    /// The prefix of problem `type` URIs.
    package var problemBase: String { publicBaseURL + "/problems/" }

    /// The password hasher for new hashes and verification.
    package var passwordHasher: PasswordHasher { PasswordHasher(parameters: passwordParameters) }
}
