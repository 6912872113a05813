package import Database
package import Foundation

/// Background work stored in PostgreSQL and shared by any number of worker processes.
///
/// A job is taken with `FOR UPDATE SKIP LOCKED` and leased (`locked_by`, `locked_until`): two workers never run
/// the same job at once, and a worker killed mid-job loses its lease, so the job is taken again once the lease
/// expires. There is at most one pending job per kind and domain (`jobs_kind_domain_key`).
package struct JobQueue: Sendable {
    /// One leased job.
    package struct Job: Sendable, Equatable {
        package let id: Int64
        package let kind: JobKind
        package let domainID: UUID?
        /// Attempts before this one.
        package let attempts: Int
    }

    private let pool: PostgresPool
    /// Identifies this worker in `locked_by` (host, pid and a random suffix).
    package let workerID: String

    /// A queue that leases jobs as `workerID`.
    package init(pool: PostgresPool, workerID: String) {
        self.pool = pool
        self.workerID = workerID
    }

    /// Adds a job unless one of the same kind is already pending for the domain; an earlier `runAfter` wins.
    package func enqueue(kind: JobKind, domainID: UUID?, runAfter: Date = Date()) throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO jobs (kind, domain_id, run_after) VALUES (\(kind), \(domainID), \(runAfter))
                ON CONFLICT (kind, coalesce(domain_id, '00000000-0000-0000-0000-000000000000'::uuid))
                DO UPDATE SET run_after = least(jobs.run_after, excluded.run_after)
                """
            )
        }
    }

    /// Leases the most overdue runnable job of one of `kinds`, or returns nil when there is none.
    package func take(kinds: [JobKind], lease: Duration) throws -> Job? {
        let seconds = Double(lease.components.seconds)
        return try pool.withConnection { connection in
            let row = try connection.query(
                """
                UPDATE jobs SET locked_by = \(workerID), locked_until = now() + make_interval(secs => \(seconds))
                WHERE id = (
                    SELECT id FROM jobs
                    WHERE run_after <= now() AND kind = ANY(\(PostgresTextArray(kinds.map(\.rawValue))))
                      AND (locked_until IS NULL OR locked_until < now())
                    ORDER BY run_after, id
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, kind, domain_id, attempts
                """
            ).first
            guard let row else { return nil }
            let (id, kind, domainID, attempts) = try row.decode((Int64, JobKind, UUID?, Int).self)
            return Job(id: id, kind: kind, domainID: domainID, attempts: attempts)
        }
    }

    /// Removes a finished job (only while this worker still holds its lease).
    package func complete(_ job: Job) throws {
        try pool.withConnection { connection in
            try connection.execute("DELETE FROM jobs WHERE id = \(job.id) AND locked_by = \(workerID)")
        }
    }

    /// Releases a job to run again at `retryAt` (a later attempt), recording why.
    package func reschedule(_ job: Job, at retryAt: Date, error: String?, countsAsAttempt: Bool = true) throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE jobs SET locked_by = NULL, locked_until = NULL, run_after = \(retryAt),
                       attempts = attempts + \(countsAsAttempt ? 1 : 0), last_error = \(error)
                WHERE id = \(job.id) AND locked_by = \(workerID)
                """
            )
        }
    }
}
