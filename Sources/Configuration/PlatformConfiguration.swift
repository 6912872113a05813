import Foundation
package import HTTPCore
package import Logging

/// Every setting of the platform, read from `MTASTS_*` environment variables and validated at start.
///
/// A bad value fails fast with the variable's name. Defaults make `mtasts serve` work on a fresh machine
/// with nothing configured: an embedded PostgreSQL under `.data/`, loopback listeners, a generated master key.
///
/// ```swift
/// let configuration = try PlatformConfiguration(environment: ProcessInfo.processInfo.environment)
/// ```
package struct PlatformConfiguration: Sendable {
    /// The PostgreSQL URL or key/value string; nil means "run an embedded cluster under `dataDirectory`".
    package var databaseURL: String?
    /// Where edges and DNS responders read (a nearby streaming replica); nil reads from ``databaseURL``.
    package var databaseReadURL: String?
    /// How often a role reading from a replica polls the change log, in milliseconds (`NOTIFY` is not
    /// replicated).
    package var databaseReadPollMilliseconds: Int
    /// The API's admin listener (`/healthz`, `/readyz`, `/metrics`).
    package var apiAdminListen: ListenAddress
    /// Seconds after which an edge or DNS responder whose snapshot was not confirmed against the database
    /// reports itself not ready.
    package var readyMaximumStaleness: Int
    package var apiListen: ListenAddress
    package var edgeHTTPSListen: ListenAddress
    package var edgeHTTPListen: ListenAddress
    /// The host name tenants point `mta-sts.<domain>` at with a CNAME.
    package var edgeHostname: String
    /// Recursive resolvers for live DNS checks, `host:port`.
    package var dnsResolvers: [ListenAddress]
    /// How many domains one account may hold.
    package var domainLimit: Int
    /// The 32-byte master key that encrypts private keys at rest.
    package var secretKeyFile: String
    /// Whether `secretKeyFile` was set explicitly (then a missing file is an error, never generated).
    package var secretKeyFileIsExplicit: Bool
    /// Older master keys still accepted for decryption while values are re-encrypted (key rotation).
    package var previousSecretKeyFiles: [String]
    package var logLevel: Logger.Level
    /// Where local state lives: the embedded cluster, the generated key, the edge's snapshot.
    package var dataDirectory: String
    /// The folder of `NNNN_name.sql` files.
    package var migrationsDirectory: String
    /// The edge's `/metrics` listener.
    package var edgeAdminListen: ListenAddress
    /// Where the edge keeps its snapshot for cold starts during a database outage.
    package var edgeSnapshotFile: String
    /// Whether the edge writes one access-log line per request.
    package var edgeAccessLog: Bool
    /// Event-loop threads per server process.
    package var eventLoops: Int
    /// Connections one client (an IPv4 address, an IPv6 /64) may hold open to the API; 0 for no such cap.
    package var apiMaxConnectionsPerAddress: Int
    /// Connections one client may hold open to each edge listener (HTTPS, HTTP); 0 for no such cap.
    package var edgeMaxConnectionsPerAddress: Int
    /// Seconds an API request may take from its first byte to its last.
    package var apiRequestTimeout: Int
    /// Bytes per second an API request body must average once its 5 s grace period has passed; 0 turns it off.
    package var apiMinimumBodyRate: Int
    /// The reverse proxies and load balancers in front of the API and the edge: their forwarding headers name the
    /// client, and they are exempt from the per-address caps.
    package var trustedProxies: TrustedProxies
    /// The API's public base URL (problem `type` URIs, links in the web form).
    package var publicURL: String
    /// `MTASTS_API_HOSTNAME`: the API listener serves HTTPS itself with this name's certificate (issued and
    /// renewed by the worker); nil serves plain HTTP.
    package var apiHostname: String?
    /// `MTASTS_API_PLAIN_HTTP`: plain HTTP on the API port is explicitly wanted (behind a TLS proxy, local
    /// development); without it, plain HTTP is served only on loopback.
    package var apiPlainHTTP: Bool
    /// The ACME directory URL.
    package var acmeDirectory: String
    /// Contact for the ACME account, if any.
    package var acmeEmail: String?
    /// PEM bundle that verifies the ACME server's certificate; nil means the system roots.
    package var acmeCABundle: String?
    /// External Account Binding key id and base64url HMAC key (both or neither).
    package var acmeEAB: (keyID: String, hmacKey: String)?
    /// CAA issuer domains of the CA.
    package var acmeCAAIdentities: [String]
    /// The port the worker uses to check a published http-01 answer before asking the CA (80 in production).
    package var acmeHTTP01Port: Int
    /// Concurrent ACME orders per worker process.
    package var workerConcurrency: Int
    /// How often the worker looks for due work when no change notification wakes it.
    package var workerScanSeconds: Double
    /// The web form's folder (`index.html`, `app.js`, `app.css`), served on the API listener.
    package var publicDirectory: String
    /// Whether `publicDirectory` was set explicitly (then a missing folder is an error).
    package var publicDirectoryIsExplicit: Bool
    /// The platform's own zone (`sts.platform.example`); nil when the `dns` role is not used.
    package var dnsZone: String?
    /// Where the `dns` role answers, over UDP and TCP.
    package var dnsListen: [ListenAddress]
    /// The names of the zone's authoritative servers (NS at the apex).
    package var dnsNameServers: [String]
    /// TTL of the zone's TXT answers, seconds.
    package var dnsTTL: Int
    /// The `dns` role's Prometheus `/metrics` listener.
    package var dnsAdminListen: ListenAddress
    /// Where the worker's admin listener (`/metrics`) listens.
    package var workerAdminListen: ListenAddress
    /// Where the `dns` role keeps its snapshot for cold starts during a database outage.
    package var dnsSnapshotFile: String
    /// UDP responses per second per source prefix before rate limiting (0: off).
    package var dnsRateLimit: Int
    /// Seconds after which an edge that has not reported its position is no longer waited for.
    package var dnsEdgeTimeout: Int
    /// PEM roots the worker's checks trust for policy hosts, as senders do; nil means the system's.
    package var checkCABundle: String?
    /// The port the worker's checks fetch policies from (443; tests run edges elsewhere).
    package var checkHTTPSPort: Int
    /// The port the checks probe MX hosts on over SMTP (25; tests run SMTP servers elsewhere).
    package var checkSMTPPort: Int
    /// Seconds one whole check of a domain may take.
    package var checkTimeout: Int
    /// Seconds between the worker's checks of a hosted domain whose last check found nothing wrong.
    package var checkInterval: Int
    /// `POST /v1/checks` per anonymous client address (IPv6: per /64) per hour.
    package var checkLimitPerAddress: Int
    /// `MTASTS_SIGNUP`: `open`, `invite` or `closed`.
    package var signup: String
    /// Sign-ups per client address per hour.
    package var signupLimitPerAddress: Int
    /// Sign-ups from everyone per hour.
    package var signupLimitGlobal: Int
    /// Login attempts per client address per 15 minutes.
    package var loginLimitPerAddress: Int
    /// Days a served domain may show no sign of its tenant's control before it is offboarded as lost.
    package var ownershipGraceDays: Int
    /// Days the audit log keeps an entry (`MTASTS_AUDIT_LOG_DAYS`).
    package var auditLogDays: Int
    /// ACME orders the platform places per hour.
    package var acmeOrdersPerHour: Int
    /// ACME orders one tenant account's domains may cause per hour.
    package var acmeOrdersPerAccount: Int
    /// Orders refused in a row for one name before the worker waits for its tenant.
    package var acmeMaxFailedOrders: Int
    /// `MTASTS_WEBHOOK_ALLOW_INSECURE`: webhooks may be `http://` URLs (tests, receivers on a trusted network).
    package var webhookAllowInsecure: Bool
    /// `MTASTS_WEBHOOK_ALLOW_PRIVATE`: webhooks may reach loopback, private, link-local and other non-public
    /// addresses (tests, receivers inside the operator's network).
    package var webhookAllowPrivate: Bool
    /// `MTASTS_SMTP_URL`: the relay alert e-mail goes through (`smtp://[user:password@]host[:port]`, STARTTLS
    /// required; `smtps://` for TLS from the first byte); nil sends no e-mail.
    package var smtpURL: String?
    /// `MTASTS_MAIL_FROM`: the sender of alert e-mail (required with `MTASTS_SMTP_URL`).
    package var mailFrom: String?
    /// `MTASTS_REPORTS_HOSTNAME`: the host senders POST TLS reports to (the edge's HTTPS listener answers for it
    /// with a certificate the worker keeps); nil takes no reports by HTTPS.
    package var reportsHostname: String?
    /// `MTASTS_REPORTS_MAIL_DOMAIN`: the domain of the reporting mail addresses (`<token>@<domain>`); nil takes
    /// no reports by mail.
    package var reportsMailDomain: String?
    /// Where the reports role's SMTP server listens (port 25 in production).
    package var reportsSMTPListen: ListenAddress
    /// The local spool accepted reports wait in until they are imported.
    package var reportsSpoolDirectory: String
    /// The reports role's Prometheus `/metrics` listener.
    package var reportsAdminListen: ListenAddress
    /// Days of TLS reports a `testing` policy needs before `enforce` is allowed without `force` (0: no gate).
    package var enforceReadyDays: Int

    /// Every variable this type reads, with its default and meaning (rendered into the README table).
    package static let variables: [(name: String, defaultValue: String, meaning: String)] = [
        (
            "MTASTS_DATABASE_URL", "(unset: embedded cluster in `.data/postgres`)",
            "PostgreSQL URL or libpq key/value string; `sslmode` is honoured. Writers (API, worker, reports) use "
                + "it: with replication give every server and `target_session_attrs=read-write` "
                + "(`postgresql://db1,db2/mtasts?target_session_attrs=read-write`) so they follow a promotion"
        ),
        (
            "MTASTS_DATABASE_READ_URL", "(unset: `MTASTS_DATABASE_URL`)",
            "where edges and DNS responders read their snapshot: a nearby streaming replica; their heartbeat "
                + "still goes to `MTASTS_DATABASE_URL`"
        ),
        (
            "MTASTS_DATABASE_READ_POLL_MS", "250",
            "how often a role reading from a replica polls the change log (`NOTIFY` is not replicated), 20…60000"
        ),
        ("MTASTS_API_ADMIN_LISTEN", "127.0.0.1:9094", "the API's `/healthz`, `/readyz` and Prometheus `/metrics`"),
        (
            "MTASTS_READY_MAX_STALENESS", "900",
            "seconds without reading the database after which an edge or DNS responder answers `/readyz` with 503 "
                + "(it keeps serving its snapshot)"
        ),
        ("MTASTS_API_LISTEN", "127.0.0.1:8080", "address of the JSON API and web form"),
        (
            "MTASTS_API_HOSTNAME", "(unset: plain HTTP)",
            "the API's public name: the API listener serves HTTPS with its certificate, which the worker orders "
                + "through the edges' http-01 like tenants' (the name must resolve to the edges), with HSTS"
        ),
        (
            "MTASTS_API_PLAIN_HTTP", "off",
            "`on` to serve plain HTTP on a non-loopback API address (behind a TLS proxy); loopback always may"
        ),
        ("MTASTS_EDGE_HTTPS_LISTEN", "127.0.0.1:8443", "HTTPS policy listener (port 443 in production)"),
        ("MTASTS_EDGE_HTTP_LISTEN", "127.0.0.1:8081", "plain-HTTP listener for ACME http-01 (port 80 in production)"),
        ("MTASTS_EDGE_HOSTNAME", "edge.mtasts.localhost", "the name tenants CNAME `mta-sts.<domain>` to"),
        (
            "MTASTS_DNS_RESOLVERS", "(nameservers in /etc/resolv.conf)",
            "comma-separated `host:port` recursive resolvers"
        ),
        ("MTASTS_DOMAIN_LIMIT", "5", "domains per account"),
        (
            "MTASTS_SECRET_KEY_FILE", "`.data/secret.key` (generated)",
            "32-byte master key (mode 0600) encrypting private keys"
        ),
        (
            "MTASTS_PREVIOUS_SECRET_KEY_FILES", "(none)",
            "comma-separated older master keys, still accepted for decryption"
        ),
        ("MTASTS_LOG_LEVEL", "info", "trace, debug, info, notice, warning, error, critical"),
        ("MTASTS_DATA_DIR", ".data", "local state: embedded cluster, generated key, edge snapshot"),
        ("MTASTS_MIGRATIONS_DIR", "Migrations", "folder of `NNNN_name.sql` migrations"),
        (
            "MTASTS_EDGE_ADMIN_LISTEN", "127.0.0.1:9090",
            "the edge's `/healthz`, `/readyz` and Prometheus `/metrics` listener"
        ),
        (
            "MTASTS_EDGE_SNAPSHOT_FILE", "`.data/edge-snapshot.bin`",
            "the edge's snapshot for cold starts while PostgreSQL is down"
        ),
        ("MTASTS_EDGE_ACCESS_LOG", "on", "`on` or `off`: one log line per edge request"),
        ("MTASTS_EVENT_LOOPS", "number of cores", "event-loop threads per process"),
        (
            "MTASTS_API_MAX_CONNECTIONS_PER_ADDRESS", "64",
            "open API connections per client (IPv4 address, IPv6 /64), refused at accept beyond; 0 turns it off"
        ),
        (
            "MTASTS_EDGE_MAX_CONNECTIONS_PER_ADDRESS", "256",
            "open connections per client on each edge listener, refused at accept before TLS beyond; 0 turns it off"
        ),
        ("MTASTS_API_REQUEST_TIMEOUT", "30", "seconds an API request may take from its first byte to its last"),
        (
            "MTASTS_API_MIN_BODY_RATE", "512",
            "bytes per second an API request body must average after 5 s, or 408; 0 turns it off"
        ),
        (
            "MTASTS_TRUSTED_PROXIES", "(none)",
            "comma-separated CIDR blocks of reverse proxies whose Forwarded/X-Forwarded-For name the client"
        ),
        (
            "MTASTS_PUBLIC_URL", "`https://<MTASTS_API_HOSTNAME>`, else `http://<MTASTS_API_LISTEN>`",
            "public base URL of the API (problem `type` URIs); `https://` turns on HSTS"
        ),
        ("MTASTS_ACME_DIRECTORY", "Let's Encrypt staging", "ACME directory URL"),
        ("MTASTS_ACME_EMAIL", "(none)", "contact for the ACME account"),
        ("MTASTS_ACME_CA_BUNDLE", "(system roots)", "PEM bundle that verifies the ACME server"),
        ("MTASTS_ACME_EAB_KID", "(none)", "External Account Binding key id (ZeroSSL and similar)"),
        ("MTASTS_ACME_EAB_HMAC_KEY", "(none)", "External Account Binding HMAC key, base64url"),
        ("MTASTS_ACME_CAA_IDENTITIES", "`letsencrypt.org` for Let's Encrypt", "CAA issuer domains of the CA"),
        ("MTASTS_ACME_HTTP01_PORT", "80", "port used to self-check published http-01 answers"),
        (
            "MTASTS_ACME_ORDERS_PER_HOUR", "90",
            "ACME orders the platform places per hour, below the CA's limit (Let's Encrypt: 300 per 3 hours); "
                + "a fifth is kept for renewals"
        ),
        ("MTASTS_ACME_ORDERS_PER_ACCOUNT", "20", "ACME orders one tenant account's domains may cause per hour"),
        (
            "MTASTS_ACME_MAX_FAILED_ORDERS", "5",
            "orders refused in a row for one name before the worker stops and waits for the tenant"
        ),
        ("MTASTS_WORKER_CONCURRENCY", "4", "concurrent ACME orders per worker process"),
        ("MTASTS_WORKER_SCAN_SECONDS", "5", "how often the worker looks for due work without a notification"),
        ("MTASTS_PUBLIC_DIR", "Public", "the web form's files, served at `/` on the API listener"),
        (
            "MTASTS_DNS_ZONE", "(unset: no `dns` role)",
            "the platform's own zone, e.g. `sts.platform.example`; tenants CNAME `_mta-sts.<domain>` into it"
        ),
        (
            "MTASTS_DNS_LISTEN", "127.0.0.1:8053",
            "comma-separated addresses the `dns` role answers on, UDP and TCP (port 53 in production)"
        ),
        (
            "MTASTS_DNS_NS", "(required with MTASTS_DNS_ZONE)",
            "comma-separated names of the zone's authoritative servers (NS), outside the zone or with glue"
        ),
        ("MTASTS_DNS_TTL", "60", "TTL in seconds of the zone's TXT answers"),
        (
            "MTASTS_DNS_ADMIN_LISTEN", "127.0.0.1:9091",
            "the `dns` role's `/healthz`, `/readyz` and Prometheus `/metrics` listener"
        ),
        (
            "MTASTS_WORKER_ADMIN_LISTEN", "127.0.0.1:9092",
            "the worker's `/healthz`, `/readyz` and Prometheus `/metrics` listener (certificates expiring or failing, open alerts by code, "
                + "domains by check severity, failed alert deliveries)"
        ),
        (
            "MTASTS_DNS_SNAPSHOT_FILE", "`.data/dns-snapshot.bin`",
            "the `dns` role's snapshot for cold starts while PostgreSQL is down"
        ),
        (
            "MTASTS_DNS_RATE_LIMIT", "50",
            "UDP responses per second per source prefix (/24, /56) before rate limiting; 0 turns it off"
        ),
        (
            "MTASTS_CHECK_CA_BUNDLE", "(system roots)",
            "PEM roots the worker's checks trust for policy hosts, as senders do"
        ),
        (
            "MTASTS_CHECK_HTTPS_PORT", "443",
            "port the worker's checks fetch `https://mta-sts.<domain>/` from (tests use another)"
        ),
        ("MTASTS_CHECK_SMTP_PORT", "25", "port the checks probe MX hosts on (EHLO, STARTTLS, QUIT; tests use another)"),
        ("MTASTS_CHECK_TIMEOUT", "30", "seconds one whole check of a domain may take (DNS, HTTPS and SMTP together)"),
        (
            "MTASTS_CHECK_LIMIT_PER_ADDRESS", "20",
            "anonymous `POST /v1/checks` per client address (IPv6: per /64) per hour; accounts get 120"
        ),
        (
            "MTASTS_CHECK_INTERVAL", "21600",
            "seconds between the worker's checks of each hosted domain (jittered; sooner after a change or a problem)"
        ),
        ("MTASTS_SIGNUP", "open", "who may sign up: `open`, `invite` (codes from `mtasts admin invite`) or `closed`"),
        ("MTASTS_SIGNUP_LIMIT_PER_ADDRESS", "10", "sign-ups per client address (IPv6: per /64) per hour"),
        ("MTASTS_SIGNUP_LIMIT_GLOBAL", "200", "sign-ups from everyone per hour"),
        (
            "MTASTS_OWNERSHIP_GRACE_DAYS", "7",
            "days a domain may show neither its ownership TXT nor its `mta-sts` CNAME before it is offboarded as lost"
        ),
        (
            "MTASTS_AUDIT_LOG_DAYS", "365",
            "days the audit log (`GET /v1/audit-log`) keeps an entry before the worker deletes it"
        ),
        (
            "MTASTS_LOGIN_LIMIT_PER_ADDRESS", "30",
            "login attempts per client address per 15 minutes (failures also slow down per account and address)"
        ),
        (
            "MTASTS_DNS_EDGE_TIMEOUT", "30",
            "seconds after which an edge that stopped reporting is no longer waited for before a new id is announced"
        ),
        (
            "MTASTS_WEBHOOK_ALLOW_INSECURE", "off",
            "`on` to accept and deliver to `http://` webhook URLs (tests, receivers on a trusted network)"
        ),
        (
            "MTASTS_WEBHOOK_ALLOW_PRIVATE", "off",
            "`on` to let webhooks reach loopback, private, link-local, CGNAT and other non-public addresses"
        ),
        (
            "MTASTS_SMTP_URL", "(unset: no alert e-mail)",
            "relay for alert e-mail: `smtp://[user:password@]host[:587]` (STARTTLS and a valid certificate required) or "
                + "`smtps://host[:465]`"
        ),
        ("MTASTS_MAIL_FROM", "(required with MTASTS_SMTP_URL)", "sender address of alert e-mail"),
        (
            "MTASTS_REPORTS_HOSTNAME", "(unset: no TLS reports by HTTPS)",
            "host senders POST TLS reports to (`https://<host>/v1/tlsrpt/<token>`); the edge's HTTPS listener "
                + "answers for it with a certificate the worker orders like the API's; also the SMTP greeting name"
        ),
        (
            "MTASTS_REPORTS_MAIL_DOMAIN", "(unset: no TLS reports by mail)",
            "domain of the reporting addresses `<token>@<domain>`; its MX must point at the reports role"
        ),
        ("MTASTS_REPORTS_SMTP_LISTEN", "127.0.0.1:2525", "the reports role's SMTP server (port 25 in production)"),
        (
            "MTASTS_REPORTS_SPOOL_DIR", "`.data/reports-spool`",
            "local spool where accepted reports wait (fsynced) until imported into PostgreSQL"
        ),
        (
            "MTASTS_REPORTS_ADMIN_LISTEN", "127.0.0.1:9093",
            "the reports role's `/healthz`, `/readyz` and Prometheus `/metrics` listener"
        ),
        (
            "MTASTS_ENFORCE_READY_DAYS", "14",
            "days of TLS reports a `testing` policy needs before `enforce` is accepted without `force`; 0 turns the "
                + "check off"
        ),
    ]

    /// Reads and validates the configuration.
    /// - Parameters:
    ///   - environment: usually `ProcessInfo.processInfo.environment`.
    ///   - resolvConf: the file that supplies default resolvers.
    /// - Throws: `ConfigurationError` naming the first bad variable.
    package init(environment: [String: String], resolvConf: String = "/etc/resolv.conf") throws(ConfigurationError) {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func address(_ name: String, default fallback: String) throws(ConfigurationError) -> ListenAddress {
            let text = value(name) ?? fallback
            guard let address = ListenAddress(parsing: text) else {
                throw ConfigurationError(
                    variable: name,
                    message: "expected host:port (e.g. 127.0.0.1:8080), got \"\(text)\""
                )
            }
            return address
        }

        databaseURL = value("MTASTS_DATABASE_URL")
        databaseReadURL = value("MTASTS_DATABASE_READ_URL")
        databaseReadPollMilliseconds = try Self.number(
            value("MTASTS_DATABASE_READ_POLL_MS") ?? "250",
            in: 20...60_000,
            variable: "MTASTS_DATABASE_READ_POLL_MS"
        )
        apiAdminListen = try address("MTASTS_API_ADMIN_LISTEN", default: "127.0.0.1:9094")
        readyMaximumStaleness = try Self.number(
            value("MTASTS_READY_MAX_STALENESS") ?? "900",
            in: 10...86_400,
            variable: "MTASTS_READY_MAX_STALENESS"
        )
        apiListen = try address("MTASTS_API_LISTEN", default: "127.0.0.1:8080")
        edgeHTTPSListen = try address("MTASTS_EDGE_HTTPS_LISTEN", default: "127.0.0.1:8443")
        edgeHTTPListen = try address("MTASTS_EDGE_HTTP_LISTEN", default: "127.0.0.1:8081")

        let hostname = (value("MTASTS_EDGE_HOSTNAME") ?? "edge.mtasts.localhost").lowercased()
        guard Self.isHostname(hostname) else {
            throw ConfigurationError(
                variable: "MTASTS_EDGE_HOSTNAME",
                message: "expected a DNS host name such as edge.example.net, got \"\(hostname)\""
            )
        }
        edgeHostname = hostname.hasSuffix(".") ? String(hostname.dropLast()) : hostname

        if let list = value("MTASTS_DNS_RESOLVERS") {
            var resolvers: [ListenAddress] = []
            for item in list.split(separator: ",") {
                let text = item.trimmingCharacters(in: .whitespaces)
                guard let resolver = ListenAddress(parsing: text, defaultPort: 53) else {
                    throw ConfigurationError(
                        variable: "MTASTS_DNS_RESOLVERS",
                        message: "expected host:port entries separated by commas, got \"\(text)\""
                    )
                }
                resolvers.append(resolver)
            }
            dnsResolvers = resolvers
        } else {
            dnsResolvers = Self.resolvers(fromResolvConf: resolvConf)
        }

        let limitText = value("MTASTS_DOMAIN_LIMIT") ?? "5"
        guard let limit = Int(limitText), limit >= 0, limit <= 1_000_000 else {
            throw ConfigurationError(
                variable: "MTASTS_DOMAIN_LIMIT",
                message: "expected a whole number 0…1000000, got \"\(limitText)\""
            )
        }
        domainLimit = limit

        let levelText = value("MTASTS_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(name: levelText) else {
            throw ConfigurationError(
                variable: "MTASTS_LOG_LEVEL",
                message: "expected one of trace, debug, info, notice, warning, error, critical; got \"\(levelText)\""
            )
        }
        logLevel = level

        dataDirectory = value("MTASTS_DATA_DIR") ?? ".data"
        secretKeyFileIsExplicit = value("MTASTS_SECRET_KEY_FILE") != nil
        secretKeyFile =
            value("MTASTS_SECRET_KEY_FILE") ?? (dataDirectory as NSString).appendingPathComponent("secret.key")
        previousSecretKeyFiles = (value("MTASTS_PREVIOUS_SECRET_KEY_FILES") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        migrationsDirectory = value("MTASTS_MIGRATIONS_DIR") ?? "Migrations"
        edgeAdminListen = try address("MTASTS_EDGE_ADMIN_LISTEN", default: "127.0.0.1:9090")
        edgeSnapshotFile =
            value("MTASTS_EDGE_SNAPSHOT_FILE")
            ?? (dataDirectory as NSString).appendingPathComponent("edge-snapshot.bin")
        switch (value("MTASTS_EDGE_ACCESS_LOG") ?? "on").lowercased() {
        case "on", "true", "1", "yes": edgeAccessLog = true
        case "off", "false", "0", "no": edgeAccessLog = false
        default:
            throw ConfigurationError(variable: "MTASTS_EDGE_ACCESS_LOG", message: "expected on or off")
        }
        let loopsText = value("MTASTS_EVENT_LOOPS") ?? String(max(1, ProcessInfo.processInfo.activeProcessorCount))
        guard let loops = Int(loopsText), (1...256).contains(loops) else {
            throw ConfigurationError(
                variable: "MTASTS_EVENT_LOOPS",
                message: "expected a whole number 1…256, got \"\(loopsText)\""
            )
        }
        eventLoops = loops
        apiMaxConnectionsPerAddress = try Self.number(
            value("MTASTS_API_MAX_CONNECTIONS_PER_ADDRESS") ?? "64",
            in: 0...1_000_000,
            variable: "MTASTS_API_MAX_CONNECTIONS_PER_ADDRESS"
        )
        edgeMaxConnectionsPerAddress = try Self.number(
            value("MTASTS_EDGE_MAX_CONNECTIONS_PER_ADDRESS") ?? "256",
            in: 0...1_000_000,
            variable: "MTASTS_EDGE_MAX_CONNECTIONS_PER_ADDRESS"
        )
        apiRequestTimeout = try Self.number(
            value("MTASTS_API_REQUEST_TIMEOUT") ?? "30",
            in: 1...3600,
            variable: "MTASTS_API_REQUEST_TIMEOUT"
        )
        apiMinimumBodyRate = try Self.number(
            value("MTASTS_API_MIN_BODY_RATE") ?? "512",
            in: 0...1_000_000_000,
            variable: "MTASTS_API_MIN_BODY_RATE"
        )
        trustedProxies = try Self.trustedProxies(value("MTASTS_TRUSTED_PROXIES"), variable: "MTASTS_TRUSTED_PROXIES")
        if let name = value("MTASTS_API_HOSTNAME")?.lowercased() {
            guard Self.isHostname(name) else {
                throw ConfigurationError(
                    variable: "MTASTS_API_HOSTNAME",
                    message: "expected a DNS host name such as api.example.net, got \"\(name)\""
                )
            }
            apiHostname = name.hasSuffix(".") ? String(name.dropLast()) : name
        } else {
            apiHostname = nil
        }
        switch value("MTASTS_API_PLAIN_HTTP")?.lowercased() {
        case nil, "off", "false", "0", "no": apiPlainHTTP = false
        case "on", "true", "1", "yes": apiPlainHTTP = true
        default: throw ConfigurationError(variable: "MTASTS_API_PLAIN_HTTP", message: "expected on or off")
        }
        if apiHostname != nil && apiPlainHTTP {
            throw ConfigurationError(
                variable: "MTASTS_API_PLAIN_HTTP",
                message: "set either MTASTS_API_HOSTNAME (built-in HTTPS) or MTASTS_API_PLAIN_HTTP=on, not both"
            )
        }
        let listenPort = apiListen.port
        let defaultPublicURL: String
        if let apiHostname {
            defaultPublicURL = "https://\(apiHostname)" + (listenPort == 443 ? "" : ":\(listenPort)")
        } else {
            defaultPublicURL = "http://\(apiListen)"
        }
        let publicText = value("MTASTS_PUBLIC_URL") ?? defaultPublicURL
        guard let url = URL(string: publicText), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ConfigurationError(
                variable: "MTASTS_PUBLIC_URL",
                message: "expected an http(s) URL, got \"\(publicText)\""
            )
        }
        publicURL = publicText.hasSuffix("/") ? String(publicText.dropLast()) : publicText

        acmeDirectory = value("MTASTS_ACME_DIRECTORY") ?? "https://acme-staging-v02.api.letsencrypt.org/directory"
        guard let directoryURL = URL(string: acmeDirectory), directoryURL.scheme == "https", directoryURL.host != nil
        else {
            throw ConfigurationError(
                variable: "MTASTS_ACME_DIRECTORY",
                message: "expected an https URL, got \"\(acmeDirectory)\""
            )
        }
        acmeEmail = value("MTASTS_ACME_EMAIL")
        if let email = acmeEmail, email.split(separator: "@").count != 2 {
            throw ConfigurationError(
                variable: "MTASTS_ACME_EMAIL",
                message: "expected an email address, got \"\(email)\""
            )
        }
        acmeCABundle = value("MTASTS_ACME_CA_BUNDLE")
        switch (value("MTASTS_ACME_EAB_KID"), value("MTASTS_ACME_EAB_HMAC_KEY")) {
        case (nil, nil): acmeEAB = nil
        case (let keyID?, let key?): acmeEAB = (keyID, key)
        case (nil, _):
            throw ConfigurationError(
                variable: "MTASTS_ACME_EAB_KID",
                message: "set together with MTASTS_ACME_EAB_HMAC_KEY"
            )
        case (_, nil):
            throw ConfigurationError(
                variable: "MTASTS_ACME_EAB_HMAC_KEY",
                message: "set together with MTASTS_ACME_EAB_KID"
            )
        }
        if let identities = value("MTASTS_ACME_CAA_IDENTITIES") {
            acmeCAAIdentities = identities.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
        } else {
            acmeCAAIdentities = (directoryURL.host ?? "").hasSuffix("letsencrypt.org") ? ["letsencrypt.org"] : []
        }
        let portText = value("MTASTS_ACME_HTTP01_PORT") ?? "80"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw ConfigurationError(
                variable: "MTASTS_ACME_HTTP01_PORT",
                message: "expected a port 1…65535, got \"\(portText)\""
            )
        }
        acmeHTTP01Port = port
        let concurrencyText = value("MTASTS_WORKER_CONCURRENCY") ?? "4"
        guard let concurrency = Int(concurrencyText), (1...64).contains(concurrency) else {
            throw ConfigurationError(
                variable: "MTASTS_WORKER_CONCURRENCY",
                message: "expected 1…64, got \"\(concurrencyText)\""
            )
        }
        workerConcurrency = concurrency
        let scanText = value("MTASTS_WORKER_SCAN_SECONDS") ?? "5"
        guard let scan = Double(scanText), scan >= 0.1, scan <= 3600 else {
            throw ConfigurationError(
                variable: "MTASTS_WORKER_SCAN_SECONDS",
                message: "expected 0.1…3600, got \"\(scanText)\""
            )
        }
        workerScanSeconds = scan
        publicDirectoryIsExplicit = value("MTASTS_PUBLIC_DIR") != nil
        publicDirectory = value("MTASTS_PUBLIC_DIR") ?? "Public"

        if let zone = value("MTASTS_DNS_ZONE")?.lowercased() {
            guard Self.isHostname(zone) else {
                throw ConfigurationError(
                    variable: "MTASTS_DNS_ZONE",
                    message: "expected a DNS name such as sts.platform.example, got \"\(zone)\""
                )
            }
            dnsZone = zone.hasSuffix(".") ? String(zone.dropLast()) : zone
        } else {
            dnsZone = nil
        }
        var listen: [ListenAddress] = []
        for item in (value("MTASTS_DNS_LISTEN") ?? "127.0.0.1:8053").split(separator: ",") {
            let text = item.trimmingCharacters(in: .whitespaces)
            guard let address = ListenAddress(parsing: text, defaultPort: 53) else {
                throw ConfigurationError(
                    variable: "MTASTS_DNS_LISTEN",
                    message: "expected host:port entries separated by commas, got \"\(text)\""
                )
            }
            listen.append(address)
        }
        dnsListen = listen
        if dnsZone != nil && value("MTASTS_DNS_NS") == nil {
            throw ConfigurationError(
                variable: "MTASTS_DNS_NS",
                message: "name the zone's authoritative servers (e.g. ns1.platform.example) when MTASTS_DNS_ZONE is set"
            )
        }
        let nameServers = (value("MTASTS_DNS_NS") ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for name in nameServers where !Self.isHostname(name) {
            throw ConfigurationError(variable: "MTASTS_DNS_NS", message: "expected DNS host names, got \"\(name)\"")
        }
        dnsNameServers = nameServers.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
        dnsTTL = try Self.number(value("MTASTS_DNS_TTL") ?? "60", in: 1...86_400, variable: "MTASTS_DNS_TTL")
        dnsAdminListen = try address("MTASTS_DNS_ADMIN_LISTEN", default: "127.0.0.1:9091")
        workerAdminListen = try address("MTASTS_WORKER_ADMIN_LISTEN", default: "127.0.0.1:9092")
        dnsSnapshotFile =
            value("MTASTS_DNS_SNAPSHOT_FILE")
            ?? (dataDirectory as NSString).appendingPathComponent("dns-snapshot.bin")
        dnsRateLimit = try Self.number(
            value("MTASTS_DNS_RATE_LIMIT") ?? "50",
            in: 0...1_000_000,
            variable: "MTASTS_DNS_RATE_LIMIT"
        )
        dnsEdgeTimeout = try Self.number(
            value("MTASTS_DNS_EDGE_TIMEOUT") ?? "30",
            in: 1...86_400,
            variable: "MTASTS_DNS_EDGE_TIMEOUT"
        )
        checkCABundle = value("MTASTS_CHECK_CA_BUNDLE")
        checkHTTPSPort = try Self.number(
            value("MTASTS_CHECK_HTTPS_PORT") ?? "443",
            in: 1...65_535,
            variable: "MTASTS_CHECK_HTTPS_PORT"
        )
        checkSMTPPort = try Self.number(
            value("MTASTS_CHECK_SMTP_PORT") ?? "25",
            in: 1...65_535,
            variable: "MTASTS_CHECK_SMTP_PORT"
        )
        checkTimeout = try Self.number(
            value("MTASTS_CHECK_TIMEOUT") ?? "30",
            in: 2...300,
            variable: "MTASTS_CHECK_TIMEOUT"
        )
        checkInterval = try Self.number(
            value("MTASTS_CHECK_INTERVAL") ?? "21600",
            in: 300...604_800,
            variable: "MTASTS_CHECK_INTERVAL"
        )
        checkLimitPerAddress = try Self.number(
            value("MTASTS_CHECK_LIMIT_PER_ADDRESS") ?? "20",
            in: 1...100_000,
            variable: "MTASTS_CHECK_LIMIT_PER_ADDRESS"
        )
        signup = (value("MTASTS_SIGNUP") ?? "open").lowercased()
        guard ["open", "invite", "closed"].contains(signup) else {
            throw ConfigurationError(variable: "MTASTS_SIGNUP", message: "expected open, invite or closed")
        }
        signupLimitPerAddress = try Self.number(
            value("MTASTS_SIGNUP_LIMIT_PER_ADDRESS") ?? "10",
            in: 1...100_000,
            variable: "MTASTS_SIGNUP_LIMIT_PER_ADDRESS"
        )
        signupLimitGlobal = try Self.number(
            value("MTASTS_SIGNUP_LIMIT_GLOBAL") ?? "200",
            in: 1...1_000_000,
            variable: "MTASTS_SIGNUP_LIMIT_GLOBAL"
        )
        loginLimitPerAddress = try Self.number(
            value("MTASTS_LOGIN_LIMIT_PER_ADDRESS") ?? "30",
            in: 1...100_000,
            variable: "MTASTS_LOGIN_LIMIT_PER_ADDRESS"
        )
        ownershipGraceDays = try Self.number(
            value("MTASTS_OWNERSHIP_GRACE_DAYS") ?? "7",
            in: 1...365,
            variable: "MTASTS_OWNERSHIP_GRACE_DAYS"
        )
        auditLogDays = try Self.number(
            value("MTASTS_AUDIT_LOG_DAYS") ?? "365",
            in: 1...3650,
            variable: "MTASTS_AUDIT_LOG_DAYS"
        )
        acmeOrdersPerHour = try Self.number(
            value("MTASTS_ACME_ORDERS_PER_HOUR") ?? "90",
            in: 1...100_000,
            variable: "MTASTS_ACME_ORDERS_PER_HOUR"
        )
        acmeOrdersPerAccount = try Self.number(
            value("MTASTS_ACME_ORDERS_PER_ACCOUNT") ?? "20",
            in: 1...100_000,
            variable: "MTASTS_ACME_ORDERS_PER_ACCOUNT"
        )
        acmeMaxFailedOrders = try Self.number(
            value("MTASTS_ACME_MAX_FAILED_ORDERS") ?? "5",
            in: 1...1000,
            variable: "MTASTS_ACME_MAX_FAILED_ORDERS"
        )
        webhookAllowInsecure = try Self.flag(
            value("MTASTS_WEBHOOK_ALLOW_INSECURE"),
            variable: "MTASTS_WEBHOOK_ALLOW_INSECURE"
        )
        webhookAllowPrivate = try Self.flag(
            value("MTASTS_WEBHOOK_ALLOW_PRIVATE"),
            variable: "MTASTS_WEBHOOK_ALLOW_PRIVATE"
        )
        smtpURL = value("MTASTS_SMTP_URL")
        mailFrom = value("MTASTS_MAIL_FROM")
        if smtpURL != nil && mailFrom == nil {
            throw ConfigurationError(
                variable: "MTASTS_MAIL_FROM",
                message: "set the sender of alert e-mail (e.g. alerts@example.net) with MTASTS_SMTP_URL"
            )
        }
        reportsHostname = try Self.hostname(value("MTASTS_REPORTS_HOSTNAME"), variable: "MTASTS_REPORTS_HOSTNAME")
        reportsMailDomain = try Self.hostname(
            value("MTASTS_REPORTS_MAIL_DOMAIN"),
            variable: "MTASTS_REPORTS_MAIL_DOMAIN"
        )
        if reportsMailDomain != nil && reportsHostname == nil {
            throw ConfigurationError(
                variable: "MTASTS_REPORTS_HOSTNAME",
                message: "set the reports host (the SMTP server's name and certificate) with MTASTS_REPORTS_MAIL_DOMAIN"
            )
        }
        reportsSMTPListen = try address("MTASTS_REPORTS_SMTP_LISTEN", default: "127.0.0.1:2525")
        reportsSpoolDirectory =
            value("MTASTS_REPORTS_SPOOL_DIR") ?? (dataDirectory as NSString).appendingPathComponent("reports-spool")
        reportsAdminListen = try address("MTASTS_REPORTS_ADMIN_LISTEN", default: "127.0.0.1:9093")
        enforceReadyDays = try Self.number(
            value("MTASTS_ENFORCE_READY_DAYS") ?? "14",
            in: 0...365,
            variable: "MTASTS_ENFORCE_READY_DAYS"
        )
    }

    /// A lower-case host name without trailing dot, or nil when unset.
    private static func hostname(_ text: String?, variable: String) throws(ConfigurationError) -> String? {
        guard let text else { return nil }
        let name = text.lowercased()
        guard isHostname(name) else {
            throw ConfigurationError(
                variable: variable,
                message: "expected a DNS host name such as reports.example.net, got \"\(text)\""
            )
        }
        return name.hasSuffix(".") ? String(name.dropLast()) : name
    }

    /// `on` or `off` (also `true`/`false`, `1`/`0`, `yes`/`no`); unset is off.
    private static func flag(_ text: String?, variable: String) throws(ConfigurationError) -> Bool {
        switch text?.lowercased() {
        case nil, "off", "false", "0", "no": return false
        case "on", "true", "1", "yes": return true
        default: throw ConfigurationError(variable: variable, message: "expected on or off")
        }
    }

    /// A whole number in `range`, or an error naming `variable`.
    private static func number(
        _ text: String,
        in range: ClosedRange<Int>,
        variable: String
    ) throws(ConfigurationError) -> Int {
        guard let number = Int(text), range.contains(number) else {
            throw ConfigurationError(
                variable: variable,
                message: "expected a whole number \(range.lowerBound)…\(range.upperBound), got \"\(text)\""
            )
        }
        return number
    }

    /// `nameserver` lines of a resolv.conf, as `host:53`.
    package static func resolvers(fromResolvConf path: String) -> [ListenAddress] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { return nil }
            let host = String(fields[1].split(separator: "%").first ?? fields[1])
            return ListenAddress(host: host, port: 53)
        }
    }

    static func isHostname(_ name: String) -> Bool {
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        let labels = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 253, labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
