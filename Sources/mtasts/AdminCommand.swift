import API
import Configuration
import Crypto
import Database
import Foundation
import JSON
import Logging
import Store

/// `mtasts admin <task>`: operator tasks against the database (no HTTP), each with `--json` for one JSON
/// document on standard output.
enum AdminCommand {
    static let help = """
        usage: mtasts admin accounts [--search TEXT] [--limit N] [--json]
               mtasts admin domains [--search TEXT] [--account ACCOUNT] [--limit N] [--json]
               mtasts admin suspend ACCOUNT [--reason TEXT] [--json]
               mtasts admin reactivate ACCOUNT [--json]
               mtasts admin limit ACCOUNT N|default [--json]
               mtasts admin transfer DOMAIN ACCOUNT [--force] [--json]
               mtasts admin invite [--count N] [--valid-days D] [--json]
               mtasts admin doctor [--json]
               mtasts admin rotate-key [--batch-size N]

        ACCOUNT is an account's email (any case) or id; DOMAIN a domain's name or id. Every change is one
        transaction and says what it changed; --json prints one JSON document on standard output instead of text.

        tasks:
          accounts    list open accounts, oldest first, or those whose email contains TEXT (or whose id is TEXT):
                      id, email, created, domains held and limit, suspension, last sign-in. N: 1…1000, default 100.
          domains     list domains (not deleted) by name, or those whose name contains TEXT, or one account's:
                      account, state (pending, verified, offboarding), current policy mode and id, certificate
                      expiry, the worker's last check.
          suspend     the account can no longer sign in, and its sessions and API tokens are refused (403
                      account-suspended); they are kept for reactivation. Its domains keep serving their last
                      policy and the worker keeps renewing their certificates until you offboard them.
          reactivate  lift a suspension: password, sessions and tokens work again.
          limit       set the account's domain limit, or `default` for MTASTS_DOMAIN_LIMIT. A limit below what it
                      holds keeps its domains and stops new ones.
          transfer    move a domain to another account with its policy, certificate, reporting token and history;
                      the edges serve exactly what they served. Refused when the account holds its limit unless
                      --force. The new owner's own unverified claim of the name is deleted; open alerts are
                      cleared so the next check (at once) raises what still holds for the new owner.
          invite      print N new invitation codes (default 1), each good for one sign-up within D days
                      (default 14), for MTASTS_SIGNUP=invite. Only their SHA-256 is stored: hand each code to
                      one person; a lost code cannot be shown again.
          doctor      check the configuration; the database (reachable, migrations applied, server version,
                      replica or primary); the master keys (every stored secret readable with the current key);
                      certificates expired (error) or expiring within 14 days (warning), tenants' and the
                      platform's; edges whose heartbeat lags the change log by over 60 s (error) or that have
                      been silent for over 60 s (warning; after 7 days an edge counts as retired). Exits 0 when
                      no check is an error, 1 otherwise.
          rotate-key  re-encrypt every stored secret with the current key (MTASTS_SECRET_KEY_FILE), bound to
                      its row, reading it with a previous key where needed, N rows at a time (default 500),
                      each row in its own transaction; edges reload the hosts. Safe to run again and while the
                      platform runs. Exits 1 when a secret in use could not be read.

        options:
          --database-url URL  overrides MTASTS_DATABASE_URL
          --json              one JSON document on standard output
          --help              show this help

        exit status: 0 done, 1 refused or failed (the message says why), 64 bad usage, 78 bad configuration.

        """

    static let tasks = "accounts, domains, suspend, reactivate, limit, transfer, invite, doctor, rotate-key"

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        guard let task = arguments.first, !task.hasPrefix("--") else {
            if arguments.contains("--help") {
                CommandRunner.writeOut(help)
                return 0
            }
            throw UsageError(message: "name a task: \(tasks)")
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch task {
            case "accounts": return try listAccounts(rest, environment: environment)
            case "domains": return try listDomains(rest, environment: environment)
            case "suspend": return try suspend(rest, environment: environment)
            case "reactivate": return try reactivate(rest, environment: environment)
            case "limit": return try limit(rest, environment: environment)
            case "transfer": return try transfer(rest, environment: environment)
            case "invite": return try invite(rest, environment: environment)
            case "doctor": return try doctor(rest, environment: environment)
            case "rotate-key": return try rotateKey(rest, environment: environment)
            default: throw UsageError(message: "unknown task '\(task)' (\(tasks))")
            }
        } catch let error as StoreError {
            throw AdminFailure(message: error.message)
        }
    }

    private static func invite(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let options = try OptionParser(
            arguments,
            knownFlags: ["help", "json"],
            knownValues: ["count", "valid-days", "database-url"]
        )
        if options.flags.contains("help") {
            CommandRunner.writeOut(help)
            return 0
        }
        guard let count = Int(options.values["count"] ?? "1"), (1...1000).contains(count) else {
            throw UsageError(message: "--count takes a whole number 1…1000")
        }
        guard let days = Int(options.values["valid-days"] ?? "14"), (1...365).contains(days) else {
            throw UsageError(message: "--valid-days takes a whole number 1…365")
        }
        var configuration = try PlatformConfiguration(environment: environment)
        if let url = options.values["database-url"] { configuration.databaseURL = url }
        let logger = Logger(label: "admin", level: configuration.logLevel)
        let setup = try DatabaseSetup.prepare(configuration: configuration, logger: logger)
        try ServeCommand.prepareSchema(
            migrate: true,
            connectionString: setup.connectionString,
            configuration: configuration,
            logger: logger
        )
        let pool = PostgresPool(configuration: .init(connectionString: setup.connectionString, maxConnections: 1))
        defer { pool.close() }
        let store = DataStore(pool: pool)
        let now = Date()
        let expires = now.addingTimeInterval(Double(days) * 86_400)
        var codes: [String] = []
        for _ in 0..<count {
            let code = try SecureRandom.token(prefix: AccountRoutes.invitationPrefix, byteCount: 16)
            try store.invitations.create(codeSHA256: Digest.sha256(code), at: now, expiresAt: expires)
            codes.append(code)
        }
        if options.flags.contains("json") {
            emit([
                "codes": .array(codes.map(JSONValue.string)), "expires_at": .timestamp(expires),
                "signup": .string(configuration.signup),
            ])
            return 0
        }
        CommandRunner.writeOut(codes.map { $0 + "\n" }.joined())
        CommandRunner.writeError(
            "\(count) invitation code(s), valid until \(expires.formatted(.iso8601)); MTASTS_SIGNUP is "
                + "\(configuration.signup)\(configuration.signup == "invite" ? "" : " (codes are only asked for with invite)")\n"
        )
        return 0
    }

    // MARK: - Shared by the tasks

    /// Parses a task's options (`--help`, `--json` and `--database-url` always known) and its `count` positional
    /// arguments, which must all be given.
    /// - Returns: nil when `--help` was asked for (the help is printed).
    static func options(
        _ arguments: [String],
        flags: Set<String> = [],
        values: Set<String> = [],
        positionals names: [String] = []
    ) throws -> OptionParser? {
        let options = try OptionParser(
            arguments,
            knownFlags: flags.union(["help", "json"]),
            knownValues: values.union(["database-url"]),
            maximumPositionals: names.count
        )
        if options.flags.contains("help") {
            CommandRunner.writeOut(help)
            return nil
        }
        guard options.positionals.count == names.count else {
            throw UsageError(message: "expected \(names.joined(separator: " ")) (see mtasts admin --help)")
        }
        return options
    }

    /// Runs `body` with a store on the configured database (refusing while migrations are pending) and the
    /// configuration.
    static func withStore<Result>(
        _ options: OptionParser,
        environment: [String: String],
        _ body: (DataStore, PlatformConfiguration) throws -> Result
    ) throws -> Result {
        var configuration = try PlatformConfiguration(environment: environment)
        if let url = options.values["database-url"] { configuration.databaseURL = url }
        let logger = Logger(label: "admin", level: configuration.logLevel)
        return try withStore(configuration: configuration, logger: logger) { try body($0, configuration) }
    }

    /// Writes `document` as the one JSON document of a `--json` run.
    static func emit(_ document: JSONValue) {
        CommandRunner.writeOut(document.text + "\n")
    }
}

/// An admin task refused or failed for a reason the operator can act on: exit status 1 and the message.
struct AdminFailure: Error, CustomStringConvertible {
    let message: String

    var description: String { message }
}

extension JSONValue {
    /// An RFC 3339 UTC timestamp, or null.
    static func timestamp(_ date: Date?) -> JSONValue {
        date.map { .string($0.formatted(.iso8601)) } ?? .null
    }

    /// A lower-case UUID.
    static func id(_ id: UUID) -> JSONValue {
        .string(id.uuidString.lowercased())
    }
}
