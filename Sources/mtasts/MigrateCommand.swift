import Configuration
import Database
import Foundation
import Logging

/// `mtasts migrate [--check]`.
enum MigrateCommand {
    static let help = """
        usage: mtasts migrate [--check] [--database-url URL]

        Applies pending migrations from MTASTS_MIGRATIONS_DIR (default Migrations/), each in its own
        transaction, under an advisory lock so concurrent runs are safe. Refuses to run when an applied
        migration was changed or removed.

        options:
          --check             apply nothing; list pending migrations and exit 1 if there are any
          --database-url URL  overrides MTASTS_DATABASE_URL
          --help              show this help

        With no database URL, the embedded cluster under MTASTS_DATA_DIR (.data/) is started and left running.

        """

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let options = try OptionParser(arguments, knownFlags: ["check", "help"], knownValues: ["database-url"])
        if options.flags.contains("help") {
            CommandRunner.writeOut(help)
            return 0
        }
        var configuration = try PlatformConfiguration(environment: environment)
        if let url = options.values["database-url"] { configuration.databaseURL = url }
        let logger = Logger(label: "migrate", level: configuration.logLevel)
        let setup = try DatabaseSetup.prepare(configuration: configuration, logger: logger)
        if options.flags.contains("check") {
            let files = try MigrationFile.load(
                directory: try DatabaseSetup.migrationsDirectory(configuration: configuration)
            )
            let connection = try PostgresConnection(connectionString: setup.connectionString)
            let pending = try Migrator(files: files).pending(using: connection)
            for entry in pending {
                CommandRunner.writeOut("pending \(String(format: "%04d", entry.version))_\(entry.name)\n")
            }
            CommandRunner.writeOut(
                pending.isEmpty ? "schema is up to date\n" : "\(pending.count) migration(s) pending\n"
            )
            return pending.isEmpty ? 0 : 1
        }
        try DatabaseSetup.migrate(
            connectionString: setup.connectionString,
            configuration: configuration,
            logger: logger
        )
        return 0
    }
}
