import Configuration
import Crypto
import Database
import Foundation
import JSON
import Logging
import Store

/// One finding of `mtasts admin doctor`.
struct DoctorCheck {
    enum Status: String {
        case ok, warning, error
    }

    let name: String
    let status: Status
    let message: String
    /// Lines under the check in the text output (and `details` in JSON).
    var details: [String] = []
    /// Structured members of the check's JSON object beside name, status, message and details.
    var extra: [JSONMember] = []

    var json: JSONValue {
        .object(
            [
                JSONMember(key: "name", value: .string(name)),
                JSONMember(key: "status", value: .string(status.rawValue)),
                JSONMember(key: "message", value: .string(message)),
                JSONMember(key: "details", value: .array(details.map(JSONValue.string))),
            ] + extra
        )
    }
}

// MARK: - doctor: configuration, database, keys, certificates, edges

extension AdminCommand {
    /// Certificates expiring sooner than this are a warning (renewal starts a month ahead, so it is failing).
    static let certificateHorizon: TimeInterval = 14 * 86_400
    /// An edge heard from within this is live; one whose oldest unapplied change was older than this when it
    /// last reported is lagging. Edges report every 5 s.
    static let edgeBound: TimeInterval = 60
    /// An edge silent for longer is taken as retired and no longer warned about.
    static let edgeRetirement: TimeInterval = 7 * 86_400

    /// `mtasts admin doctor`: every check, then exit status 0 when none is an error, 1 otherwise.
    static func doctor(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        guard let options = try options(arguments) else { return 0 }
        let checks = runChecks(options: options, environment: environment)
        let healthy = !checks.contains { $0.status == .error }
        if options.flags.contains("json") {
            emit(["checks": .array(checks.map(\.json)), "ok": .bool(healthy)])
        } else {
            var text = ""
            for check in checks {
                text += check.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                text += "\(check.name): \(check.message)\n"
                for line in check.details { text += "           \(line)\n" }
            }
            let errors = checks.filter { $0.status == .error }.count
            let warnings = checks.filter { $0.status == .warning }.count
            text +=
                healthy && warnings == 0 ? "ok: no problems found\n" : "\(errors) error(s), \(warnings) warning(s)\n"
            CommandRunner.writeOut(text)
        }
        return healthy ? 0 : 1
    }

    private static func runChecks(options: OptionParser, environment: [String: String]) -> [DoctorCheck] {
        var configuration: PlatformConfiguration
        do {
            configuration = try PlatformConfiguration(environment: environment)
        } catch {
            return [DoctorCheck(name: "configuration", status: .error, message: "\(error)")]
        }
        if let url = options.values["database-url"] { configuration.databaseURL = url }
        var checks = [
            DoctorCheck(
                name: "configuration",
                status: .ok,
                message: "parsed; database "
                    + (configuration.databaseURL == nil
                        ? "embedded under \(configuration.dataDirectory)" : "from MTASTS_DATABASE_URL")
                    + ", sign-up \(configuration.signup), domain limit \(configuration.domainLimit)"
            )
        ]
        let logger = Logger(label: "admin", level: .error)
        let keyring: Result<Keyring, any Error> = Result {
            try SecretsSetup.loadKeyring(configuration: configuration, logger: logger, generatingMissing: false)
        }
        let setup: DatabaseSetup
        do {
            setup = try DatabaseSetup.prepare(configuration: configuration, logger: logger)
        } catch {
            checks.append(DoctorCheck(name: "database", status: .error, message: "cannot open it: \(error)"))
            return checks + [keysCheck(keyring: keyring, store: nil)] + unchecked(["certificates", "edges"])
        }
        defer {
            if let cluster = setup.embeddedCluster { try? cluster.stop() }
        }
        let pool = PostgresPool(configuration: .init(connectionString: setup.connectionString, maxConnections: 1))
        defer { pool.close() }
        let store = DataStore(pool: pool)
        let database = databaseCheck(store: store, setup: setup, configuration: configuration)
        checks.append(database)
        guard database.extra.contains(where: { $0.key == "server_version" }) else {
            return checks + [keysCheck(keyring: keyring, store: nil)] + unchecked(["certificates", "edges"])
        }
        let now = Date()
        checks.append(keysCheck(keyring: keyring, store: store))
        checks.append(guarded("certificates") { try certificatesCheck(store: store, at: now) })
        checks.append(guarded("edges") { try edgesCheck(store: store, at: now) })
        return checks
    }

    /// Reachable, the server's version, primary or replica, and the migrations against the files.
    private static func databaseCheck(
        store: DataStore,
        setup: DatabaseSetup,
        configuration: PlatformConfiguration
    ) -> DoctorCheck {
        let facts: DatabaseFacts
        do {
            facts = try store.administration.databaseFacts()
        } catch {
            return DoctorCheck(name: "database", status: .error, message: "unreachable: \(error)")
        }
        var extra = [
            JSONMember(key: "server_version", value: .string(facts.serverVersion)),
            JSONMember(key: "replica", value: .bool(facts.isReplica)),
        ]
        let server = "PostgreSQL \(facts.serverVersion), \(facts.isReplica ? "a replica (read-only)" : "the primary")"
        let files: [MigrationFile]
        let pending: [MigrationPlan.Entry]
        do {
            files = try MigrationFile.load(
                directory: try DatabaseSetup.migrationsDirectory(configuration: configuration)
            )
            let connection = try PostgresConnection(connectionString: setup.connectionString)
            pending = try Migrator(files: files).pending(using: connection)
        } catch {
            return DoctorCheck(
                name: "database",
                status: .error,
                message: "\(server); migrations: \(error)",
                extra: extra
            )
        }
        extra.append(JSONMember(key: "migrations_applied", value: .int(files.count - pending.count)))
        extra.append(
            JSONMember(key: "migrations_pending", value: .array(pending.map { .string(label($0)) }))
        )
        if !pending.isEmpty {
            return DoctorCheck(
                name: "database",
                status: .error,
                message: "\(server); \(pending.count) migration(s) pending: run `mtasts migrate`",
                details: pending.map { "pending \(label($0))" },
                extra: extra
            )
        }
        return DoctorCheck(
            name: "database",
            status: facts.isReplica ? .warning : .ok,
            message: "\(server); all \(files.count) migrations applied"
                + (facts.isReplica ? "; writers (api, worker, reports, admin tasks) need the primary" : ""),
            extra: extra
        )
    }

    /// The master keys load, and every stored secret in use is readable with the current key.
    private static func keysCheck(keyring: Result<Keyring, any Error>, store: DataStore?) -> DoctorCheck {
        let keys: Keyring
        do { keys = try keyring.get() } catch {
            return DoctorCheck(name: "keys", status: .error, message: "\(error)")
        }
        guard let store else {
            return DoctorCheck(
                name: "keys",
                status: .error,
                message: "master keys load (current \(keys.current.keyID)); stored secrets not checked: no database"
            )
        }
        do {
            let (healthy, summary, details) = try secretsFindings(store: store, keyring: keys)
            return DoctorCheck(
                name: "keys",
                status: healthy ? .ok : .error,
                message: summary,
                details: details,
                extra: [JSONMember(key: "current_key_id", value: .string(keys.current.keyID))]
            )
        } catch {
            return DoctorCheck(name: "keys", status: .error, message: "cannot read the stored secrets: \(error)")
        }
    }

    /// Current certificates expired (error) or expiring within ``certificateHorizon`` (warning).
    private static func certificatesCheck(store: DataStore, at now: Date) throws -> DoctorCheck {
        let expiring = try store.administration.certificatesExpiring(
            before: now.addingTimeInterval(certificateHorizon),
            at: now
        )
        let count = try store.administration.currentCertificateCount(at: now)
        let expired = expiring.filter { $0.notAfter <= now }
        let details = expiring.map { certificate in
            let days = Int((certificate.notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
            return certificate.notAfter <= now
                ? "\(certificate.host) (\(certificate.kind)) expired \(stamp(certificate.notAfter))"
                : "\(certificate.host) (\(certificate.kind)) expires \(stamp(certificate.notAfter)), in \(days) day(s)"
        }
        let extra = [
            JSONMember(
                key: "certificates",
                value: .array(
                    expiring.map {
                        [
                            "host": .string($0.host), "kind": .string($0.kind), "not_after": .timestamp($0.notAfter),
                            "expired": .bool($0.notAfter <= now),
                        ]
                    }
                )
            )
        ]
        if !expired.isEmpty {
            return DoctorCheck(
                name: "certificates",
                status: .error,
                message: "\(expired.count) certificate(s) expired, \(expiring.count - expired.count) expiring within "
                    + "14 days: see the worker's log and the domains' certificate state",
                details: details,
                extra: extra
            )
        }
        if !expiring.isEmpty {
            return DoctorCheck(
                name: "certificates",
                status: .warning,
                message: "\(expiring.count) certificate(s) expire within 14 days (renewal starts 30 days ahead): "
                    + "see the worker's log and the domains' certificate state",
                details: details,
                extra: extra
            )
        }
        return DoctorCheck(
            name: "certificates",
            status: .ok,
            message: "\(count) current certificate(s); none expires within 14 days",
            extra: extra
        )
    }

    /// Edges that lag the change log (error) or have gone silent (warning).
    private static func edgesCheck(store: DataStore, at now: Date) throws -> DoctorCheck {
        let standings = try store.administration.edgeStandings()
        var lagging: [String] = []
        var silent: [String] = []
        var live = 0
        var retired = 0
        var rows: [JSONValue] = []
        for edge in standings {
            let quiet = now.timeIntervalSince(edge.seenAt)
            let lag = edge.oldestUnappliedAt.map { edge.seenAt.timeIntervalSince($0) } ?? 0
            let state: String
            if quiet > edgeRetirement {
                state = "retired"
                retired += 1
            } else if quiet > edgeBound {
                state = "silent"
                silent.append(
                    "\(edge.instance): silent since \(stamp(edge.seenAt)), had applied \(edge.appliedSequence) of "
                        + "\(edge.headSequence)"
                )
            } else if lag > edgeBound {
                state = "lagging"
                live += 1
                lagging.append(
                    "\(edge.instance): applied \(edge.appliedSequence) of \(edge.headSequence); has not applied "
                        + "changes made since \(stamp(edge.oldestUnappliedAt))"
                )
            } else {
                state = "ok"
                live += 1
            }
            rows.append([
                "instance": .string(edge.instance), "state": .string(state),
                "applied_seq": .int(Int(edge.appliedSequence)), "head_seq": .int(Int(edge.headSequence)),
                "seen_at": .timestamp(edge.seenAt), "unapplied_since": .timestamp(edge.oldestUnappliedAt),
            ])
        }
        let extra = [JSONMember(key: "edges", value: .array(rows))]
        let tally =
            "\(live) live edge(s)" + (silent.isEmpty ? "" : ", \(silent.count) silent")
            + (retired > 0 ? ", \(retired) retired (silent over 7 days)" : "")
        if !lagging.isEmpty {
            return DoctorCheck(
                name: "edges",
                status: .error,
                message: "\(lagging.count) edge(s) not applying changes (they serve stale policies): \(tally)",
                details: lagging + silent,
                extra: extra
            )
        }
        if !silent.isEmpty {
            return DoctorCheck(
                name: "edges",
                status: .warning,
                message:
                    "\(silent.count) edge(s) silent for over 60 s (stopped, or cannot reach the primary): \(tally)",
                details: silent,
                extra: extra
            )
        }
        return DoctorCheck(
            name: "edges",
            status: .ok,
            message: standings.isEmpty ? "no edge has reported a heartbeat" : "\(tally), all up to date",
            extra: extra
        )
    }

    /// `check()`, or an error check naming what failed.
    private static func guarded(_ name: String, _ check: () throws -> DoctorCheck) -> DoctorCheck {
        do { return try check() } catch {
            return DoctorCheck(name: name, status: .error, message: "cannot check: \(error)")
        }
    }

    private static func unchecked(_ names: [String]) -> [DoctorCheck] {
        names.map { DoctorCheck(name: $0, status: .error, message: "not checked: no database") }
    }

    private static func label(_ entry: MigrationPlan.Entry) -> String {
        String(format: "%04d_%@", entry.version, entry.name)
    }
}
