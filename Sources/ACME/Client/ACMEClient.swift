package import Crypto
package import Logging
import Synchronization

/// An ACME (RFC 8555) client: account, orders, http-01 challenges, finalize and download, over an injected
/// ``ACMETransport`` and ``ACMEClock``.
///
/// One client serves one account key and may be used from several threads at once: the directory, the account
/// URL and the nonce pool are shared under locks. Every method blocks the calling thread.
///
/// ```swift
/// let client = ACMEClient(configuration: configuration, accountKey: accountKey, transport: transport)
/// let account = try client.registerAccount()
/// let issued = try client.issueCertificate(for: ["mta-sts.example.com"], publisher: publisher)
/// ```
package final class ACMEClient: Sendable {
    /// The settings.
    package let configuration: ACMEClientConfiguration
    /// The account key (ES256); never put into a CSR (§11.1).
    package let accountKey: P256PrivateKey
    let transport: any ACMETransport
    let clock: any ACMEClock
    let logger: Logger
    let nonces: ACMENoncePool
    private let cached = Mutex<(directory: ACMEDirectory?, accountURL: String?)>((nil, nil))

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - configuration: Directory URL, contacts, EAB, polling policy.
    ///   - accountKey: The account's private key.
    ///   - accountURL: The account URL when already known (e.g. stored after an earlier registration).
    ///   - transport: Sends the HTTPS requests.
    ///   - clock: Time and waiting; the system clock by default.
    ///   - logger: Where progress is logged.
    package init(
        configuration: ACMEClientConfiguration,
        accountKey: P256PrivateKey,
        accountURL: String? = nil,
        transport: any ACMETransport,
        clock: any ACMEClock = SystemACMEClock(),
        logger: Logger = Logger(label: "acme")
    ) {
        self.configuration = configuration
        self.accountKey = accountKey
        self.transport = transport
        self.clock = clock
        self.logger = logger.with(["directory": configuration.directoryURL])
        self.nonces = ACMENoncePool(capacity: configuration.maximumPooledNonces)
        cached.withLock { $0.accountURL = accountURL }
    }

    /// The RFC 7638 thumbprint of the account key (the suffix of every key authorization).
    package var accountThumbprint: String {
        accountKey.jwkThumbprint
    }

    /// The key authorization for an http-01 `token`: `token "." thumbprint` (§8.1).
    package func keyAuthorization(token: String) -> String {
        token + "." + accountThumbprint
    }

    /// The account URL once registered or looked up, else `nil`.
    package var knownAccountURL: String? {
        cached.withLock { $0.accountURL }
    }

    func remember(accountURL: String) {
        cached.withLock { $0.accountURL = accountURL }
    }

    // MARK: - Directory

    /// The directory, fetched with a plain GET on first use and cached (§7.1.1).
    ///
    /// - Throws: ``ACMEError`` for transport failures, error statuses and malformed directories.
    package func directory() throws -> ACMEDirectory {
        if let directory = cached.withLock({ $0.directory }) {
            return directory
        }
        let response = try send(ACMEHTTPRequest(method: .get, url: configuration.directoryURL))
        try requireSuccess(response, what: "directory")
        let directory = try ACMEDirectory(json: response.body)
        cached.withLock { $0.directory = directory }
        logger.debug("fetched ACME directory", ["ari": directory.renewalInfo == nil ? "no" : "yes"])
        return directory
    }
}
