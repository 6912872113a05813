import Database
package import Foundation

/// SQL for `rate_limit_hits`: sliding-window counters shared by every API process.
///
/// ```swift
/// if let wait = try store.rateLimits.hit(bucket: "signup-ip:203.0.113.7", at: now, window: 3600, limit: 10) {
///     // 429 with Retry-After: wait (the hit was not recorded)
/// }
/// ```
package struct RateLimitRepository: Sendable {
    let pool: PostgresPool

    /// Records a hit unless `limit` hits already fall in the window, atomically: concurrent requests on the
    /// same bucket are serialised (an advisory lock on the bucket), so a burst cannot slip past the limit.
    /// - Parameters:
    ///   - window: the window length in seconds.
    ///   - limit: hits allowed per window.
    /// - Returns: nil when the hit was recorded, else the seconds until one would be allowed.
    package func hit(bucket: String, at now: Date, window: Int, limit: Int) throws -> Int? {
        let since = now.addingTimeInterval(-Double(window))
        return try pool.withTransaction { connection in
            try connection.execute("SELECT pg_advisory_xact_lock(hashtext(\(bucket)))")
            let rows = try connection.query(
                """
                SELECT at FROM rate_limit_hits WHERE bucket = \(bucket) AND at > \(since)
                ORDER BY at DESC LIMIT \(max(limit, 1))
                """
            )
            if rows.count >= limit {
                // The oldest of the newest `limit` hits leaves the window first.
                let oldest = try rows.map { try $0.decode(Date.self, at: 0) }.min() ?? now
                return max(1, Self.seconds(oldest.timeIntervalSince(since)))
            }
            try Self.record(on: connection, bucket: bucket, at: now, since: since)
            return nil
        }
    }

    /// Progressive delay over several buckets, atomically: each bucket's hits in the window ask for a wait
    /// since its newest hit (`delay(count)` seconds); when every wait has passed, a hit is recorded on every
    /// bucket, else nothing is recorded. The buckets are locked in a fixed order, so concurrent callers are
    /// serialised and a burst sees the hits recorded before it.
    /// - Returns: nil when the hits were recorded, else the seconds until they would be allowed.
    package func hitAfterDelay(
        _ buckets: [(bucket: String, delay: (Int) -> Int)],
        at now: Date,
        window: Int
    ) throws -> Int? {
        let since = now.addingTimeInterval(-Double(window))
        let ordered = buckets.sorted { $0.bucket < $1.bucket }
        return try pool.withTransaction { connection in
            var wait = 0
            for (bucket, delay) in ordered {
                try connection.execute("SELECT pg_advisory_xact_lock(hashtext(\(bucket)))")
                let row = try AccountRepository.single(
                    try connection.query(
                        "SELECT count(*), max(at) FROM rate_limit_hits WHERE bucket = \(bucket) AND at > \(since)"
                    )
                )
                let (count, last) = try row.decode((Int, Date?).self)
                guard let last else { continue }
                let ready = last.addingTimeInterval(Double(delay(count)))
                wait = max(wait, Self.seconds(ready.timeIntervalSince(now)))
            }
            guard wait == 0 else { return wait }
            for (bucket, _) in ordered { try Self.record(on: connection, bucket: bucket, at: now, since: since) }
            return nil
        }
    }

    /// Records a hit and forgets this bucket's hits older than the window.
    package func record(bucket: String, at now: Date, window: Int) throws {
        let since = now.addingTimeInterval(-Double(window))
        try pool.withTransaction { connection in
            try Self.record(on: connection, bucket: bucket, at: now, since: since)
        }
    }

    /// Forgets every hit of `bucket` (a successful login clears its failures).
    package func clear(bucket: String) throws {
        try pool.withConnection { connection in
            try connection.execute("DELETE FROM rate_limit_hits WHERE bucket = \(bucket)")
        }
    }

    /// Whole seconds to wait for `interval`, ignoring the sub-millisecond difference between a `Date` and the
    /// microseconds PostgreSQL keeps of it.
    private static func seconds(_ interval: TimeInterval) -> Int {
        interval <= 0.001 ? 0 : Int((interval - 0.001).rounded(.up))
    }

    private static func record(on connection: PostgresConnection, bucket: String, at now: Date, since: Date) throws {
        try connection.execute("DELETE FROM rate_limit_hits WHERE bucket = \(bucket) AND at <= \(since)")
        try connection.execute("INSERT INTO rate_limit_hits (bucket, at) VALUES (\(bucket), \(now))")
    }
}
