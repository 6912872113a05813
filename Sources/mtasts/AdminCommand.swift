import API
import Configuration
import Crypto
import Database
import Foundation
import Logging
import Store

/// `mtasts admin <task>`: operator tasks against the database.
enum AdminCommand {
    static let help = """
        usage: mtasts admin invite [--count N] [--valid-days D]
               mtasts admin doctor
               mtasts admin rotate-key [--batch-size N]

        tasks:
          invite      print N new invitation codes (default 1), each good for one sign-up within D days
                      (default 14), for MTASTS_SIGNUP=invite. Only their SHA-256 is stored: hand each code to
                      one person; a lost code cannot be shown again.
          doctor      decrypt every stored secret (certificate keys, ACME account keys) with the master keys
                      of MTASTS_SECRET_KEY_FILE and MTASTS_PREVIOUS_SECRET_KEY_FILES and count them by kind:
                      readable with the current key, only with a previous key, or not at all; one line per
                      secret that needs action. Exits 0 when every secret in use is readable with the current
                      key, 1 otherwise.
          rotate-key  re-encrypt every stored secret with the current key (MTASTS_SECRET_KEY_FILE), bound to
                      its row, reading it with a previous key where needed, N rows at a time (default 500),
                      each row in its own transaction; edges reload the hosts. Safe to run again and while the
                      platform runs. Exits 1 when a secret in use could not be read.

        options:
          --database-url URL  overrides MTASTS_DATABASE_URL
          --help              show this help

        """

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        guard let task = arguments.first, !task.hasPrefix("--") else {
            if arguments.contains("--help") {
                CommandRunner.writeOut(help)
                return 0
            }
            throw UsageError(message: "name a task: invite, doctor, rotate-key")
        }
        switch task {
        case "invite": return try invite(Array(arguments.dropFirst()), environment: environment)
        case "doctor": return try doctor(Array(arguments.dropFirst()), environment: environment)
        case "rotate-key": return try rotateKey(Array(arguments.dropFirst()), environment: environment)
        default: throw UsageError(message: "unknown task '\(task)' (invite, doctor, rotate-key)")
        }
    }

    private static func invite(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let options = try OptionParser(
            arguments,
            knownFlags: ["help"],
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
        try ServeCommand.prepareSchema(migrate: true, setup: setup, configuration: configuration, logger: logger)
        let pool = PostgresPool(configuration: .init(connectionString: setup.connectionString, maxConnections: 1))
        defer { pool.close() }
        let store = DataStore(pool: pool)
        let now = Date()
        let expires = now.addingTimeInterval(Double(days) * 86_400)
        for _ in 0..<count {
            let code = try SecureRandom.token(prefix: AccountRoutes.invitationPrefix, byteCount: 16)
            try store.invitations.create(codeSHA256: Digest.sha256(code), at: now, expiresAt: expires)
            CommandRunner.writeOut(code + "\n")
        }
        CommandRunner.writeError(
            "\(count) invitation code(s), valid until \(expires.formatted(.iso8601)); MTASTS_SIGNUP is "
                + "\(configuration.signup)\(configuration.signup == "invite" ? "" : " (codes are only asked for with invite)")\n"
        )
        return 0
    }
}
