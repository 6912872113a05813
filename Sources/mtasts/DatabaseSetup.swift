import Configuration
import Database
import Foundation
import Logging

/// Finds or starts the database and brings its schema up to date.
struct DatabaseSetup {
    /// The connection string to use.
    let connectionString: String
    /// The embedded cluster this process started, to stop on exit; nil with an external database.
    let embeddedCluster: LocalPostgresCluster?

    /// Uses `MTASTS_DATABASE_URL`, or creates/starts the embedded cluster under the data directory.
    static func prepare(configuration: PlatformConfiguration, logger: Logger) throws -> DatabaseSetup {
        if let url = configuration.databaseURL {
            return DatabaseSetup(connectionString: url, embeddedCluster: nil)
        }
        let directory = URL(fileURLWithPath: configuration.dataDirectory)
        let cluster = LocalPostgresCluster(directory: directory)
        let wasRunning = cluster.isRunning()
        logger.info("starting embedded PostgreSQL", ["directory": cluster.dataDirectory.path])
        try cluster.start()
        let url = try cluster.createDatabase(named: "mtasts")
        // A cluster that was already running belongs to another process (e.g. a second `serve`); leave it be.
        return DatabaseSetup(connectionString: url, embeddedCluster: wasRunning ? nil : cluster)
    }

    /// The migrations folder: the configured one, else `Migrations/` found upwards from the executable.
    static func migrationsDirectory(configuration: PlatformConfiguration) throws -> URL {
        guard let folder = ResourceDirectory.find(configured: configuration.migrationsDirectory, name: "Migrations")
        else {
            throw ConfigurationError(
                variable: "MTASTS_MIGRATIONS_DIR",
                message: "no migrations folder at \(configuration.migrationsDirectory)"
            )
        }
        return folder
    }

    /// Applies pending migrations and logs each one.
    static func migrate(connectionString: String, configuration: PlatformConfiguration, logger: Logger) throws {
        let files = try MigrationFile.load(directory: try migrationsDirectory(configuration: configuration))
        let connection = try PostgresConnection(connectionString: connectionString, statementTimeout: nil)
        let applied = try Migrator(files: files).migrate(using: connection)
        for entry in applied {
            logger.info("applied migration", ["version": String(entry.version), "name": entry.name])
        }
        logger.info("schema is up to date", ["migrations": String(files.count), "applied_now": String(applied.count)])
    }
}
