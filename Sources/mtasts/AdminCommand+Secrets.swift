import Configuration
import Crypto
import Database
import Foundation
import Logging
import Store

// MARK: - rotate-key and the doctor's key check: the master key's view of every stored secret

extension AdminCommand {
    /// The master keys' view of every stored secret, for the doctor: counts by kind and condition, one line per
    /// secret that needs the operator.
    /// - Returns: whether every secret in use is readable with the current key, a one-line summary and the
    ///   detail lines.
    static func secretsFindings(
        store: DataStore,
        keyring: Keyring
    ) throws -> (healthy: Bool, summary: String, details: [String]) {
        let inventory = try SecretInventory.take(from: store.secrets, keyring: keyring)
        var lines = [String(keyringLine(keyring).dropLast())]
        for kind in SecretKind.allCases {
            let current = inventory.count(kind, .current) + inventory.count(kind, .unbound)
            let previous = inventory.count(kind, .previousKey)
            let unreadable = inventory.count(kind, .unknownKey) + inventory.count(kind, .authenticationFailed)
            lines.append(
                "\(kind.rawValue)s: \(current) readable with the current key, \(previous) only with a previous "
                    + "key, \(unreadable) unreadable"
            )
        }
        for finding in inventory.findings {
            lines.append("problem: \(describe(finding)): \(advice(for: finding, keyring: keyring))")
        }
        let unbound = SecretKind.allCases.reduce(0) { $0 + inventory.count($1, .unbound) }
        if unbound > 0 {
            lines.append(
                "note: \(unbound) secret(s) sealed before secrets were bound to their rows: "
                    + "`mtasts admin rotate-key` binds them"
            )
        }
        let retired =
            inventory.count(.retiredCertificateKey, .unknownKey)
            + inventory.count(.retiredCertificateKey, .authenticationFailed)
        if retired > 0 {
            lines.append("note: \(retired) retired certificate key(s) cannot be read; nothing uses them")
        }
        let summary =
            inventory.isHealthy
            ? "every secret in use is readable with the current key \(keyring.current.keyID)"
            : "\(inventory.findings.count) stored secret(s) need action"
        return (inventory.isHealthy, summary, lines)
    }

    /// `mtasts admin rotate-key`: re-seals every readable secret with the current key, bound to its row.
    /// Exit status 1 when a secret in use could not be read.
    static func rotateKey(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let options = try OptionParser(arguments, knownFlags: ["help"], knownValues: ["database-url", "batch-size"])
        if options.flags.contains("help") {
            CommandRunner.writeOut(help)
            return 0
        }
        guard let batchSize = Int(options.values["batch-size"] ?? "500"), (1...10_000).contains(batchSize) else {
            throw UsageError(message: "--batch-size takes a whole number 1…10000")
        }
        let (configuration, keyring, logger) = try secretsSetup(options: options, environment: environment)
        CommandRunner.writeOut(keyringLine(keyring))
        let report = try withStore(configuration: configuration, logger: logger) { store in
            try SecretRotation.run(repository: store.secrets, keyring: keyring, batchSize: batchSize)
        }
        var text = ""
        for kind in SecretKind.allCases {
            let counts = report.counts[kind] ?? SecretRotation.Counts()
            text +=
                "\(kind.rawValue)s: \(counts.resealed) re-encrypted, \(counts.alreadyCurrent) already current, "
                + "\(counts.changedMeanwhile) changed meanwhile, \(counts.unreadable) unreadable\n"
        }
        for finding in report.unreadable {
            text += "problem: \(describe(finding)): \(advice(for: finding, keyring: keyring))\n"
        }
        if report.counts.values.contains(where: { $0.changedMeanwhile > 0 }) {
            text += "note: some rows changed while they were re-encrypted; run rotate-key again to check them\n"
        }
        if report.unreadable.isEmpty {
            text +=
                "ok: every readable secret is sealed with \(keyring.current.keyID); confirm with `mtasts admin "
                + "doctor` given only the current key, then remove the previous key files\n"
        }
        CommandRunner.writeOut(text)
        return report.unreadable.isEmpty ? 0 : 1
    }

    /// The configuration (with `--database-url`), the keyring loaded as the roles load it (but never generated),
    /// and the task's logger.
    static func secretsSetup(
        options: OptionParser,
        environment: [String: String]
    ) throws -> (PlatformConfiguration, Keyring, Logger) {
        var configuration = try PlatformConfiguration(environment: environment)
        if let url = options.values["database-url"] { configuration.databaseURL = url }
        let logger = Logger(label: "admin", level: configuration.logLevel)
        let keyring = try SecretsSetup.loadKeyring(
            configuration: configuration,
            logger: logger,
            generatingMissing: false
        )
        return (configuration, keyring, logger)
    }

    /// Runs `body` with a store on the roles' database (the embedded cluster when no database is configured,
    /// stopped again afterwards if this task started it); refuses to run while migrations are pending.
    static func withStore<Result>(
        configuration: PlatformConfiguration,
        logger: Logger,
        _ body: (DataStore) throws -> Result
    ) throws -> Result {
        let setup = try DatabaseSetup.prepare(configuration: configuration, logger: logger)
        defer {
            if let cluster = setup.embeddedCluster {
                do { try cluster.stop() } catch {
                    logger.warning("could not stop embedded PostgreSQL", ["error": "\(error)"])
                }
            }
        }
        try ServeCommand.prepareSchema(
            migrate: false,
            connectionString: setup.connectionString,
            configuration: configuration,
            logger: logger
        )
        let pool = PostgresPool(configuration: .init(connectionString: setup.connectionString, maxConnections: 1))
        defer { pool.close() }
        return try body(DataStore(pool: pool))
    }

    /// `master keys: current <id>, previous <id>, …`.
    private static func keyringLine(_ keyring: Keyring) -> String {
        let previous = keyring.keyIDs.filter { $0 != keyring.current.keyID }
        return "master keys: current \(keyring.current.keyID)"
            + (previous.isEmpty ? "" : ", previous \(previous.joined(separator: ", "))") + "\n"
    }

    /// The secret's kind, row and key, e.g. `certificate key of mta-sts.example.com (row …, key 1a2b3c4d)`.
    private static func describe(_ finding: SecretFinding) -> String {
        let row = finding.rowID.uuidString.lowercased()
        switch finding.owner {
        case .certificateKey(_, let host):
            return "certificate key of \(host) (certificate \(row), master key \(finding.keyID))"
        case .acmeAccountKey(let directoryURL):
            return "ACME account key for \(directoryURL) (master key \(finding.keyID))"
        case .webhookSecret(let id):
            return "webhook secret of webhook \(id.uuidString.lowercased()) (master key \(finding.keyID))"
        }
    }

    /// What the operator should do about `finding`.
    private static func advice(for finding: SecretFinding, keyring: Keyring) -> String {
        let recovery =
            switch finding.kind {
            case .acmeAccountKey: "the worker registers a new ACME account before its next order"
            case .certificateKey, .retiredCertificateKey:
                "the worker issues a new certificate by itself (until then the edges serve no TLS for this host)"
            case .webhookSecret:
                "its deliveries fail until the tenant deletes the webhook and adds it again (a new secret for the "
                    + "receiver)"
            }
        switch finding.condition {
        case .current, .unbound:
            return "nothing to do"
        case .previousKey:
            return "sealed with a previous key; run `mtasts admin rotate-key` before removing that key file"
        case .unknownKey:
            return "that master key is not loaded; if you still have it, add its file to "
                + "MTASTS_PREVIOUS_SECRET_KEY_FILES and run `mtasts admin rotate-key`; if it is lost, \(recovery)"
        case .authenticationFailed:
            return "it does not authenticate with master key \(finding.keyID) (altered, copied from another row, "
                + "or a different key with the same id): \(recovery); find out who wrote to the database"
        }
    }
}
