import Database

/// Whether the database a writing role (API, worker, reports intake) uses takes writes now: its `/readyz`.
///
/// One small pool of its own with short timeouts, so a probe never waits behind the role's work and a dead
/// primary answers within seconds. With a multi-host `MTASTS_DATABASE_URL` and
/// `target_session_attrs=read-write`, libpq reaches whichever server was promoted; a probe that lands on a
/// standby anyway (a single-host URL pointing at a replica) says so.
package struct WriterReadiness: Sendable {
    private let pool: PostgresPool

    package init(connectionString: String) {
        pool = PostgresPool(
            configuration: .init(
                connectionString: connectionString,
                maxConnections: 1,
                acquireTimeout: .seconds(3),
                statementTimeout: .seconds(2)
            )
        )
    }

    /// Why the role cannot write now, one sentence each; empty when it can.
    package func problems() -> [String] {
        do {
            let inRecovery = try pool.withConnection { connection in
                try AccountRepository.single(try connection.query("SELECT pg_is_in_recovery()")).decode(
                    Bool.self,
                    at: 0
                )
            }
            return inRecovery ? ["the database is a read-only standby (writers need the primary)"] : []
        } catch {
            return ["the database is unreachable: \(error)"]
        }
    }

    /// Closes the probe's connection.
    package func close() {
        pool.close()
    }
}
