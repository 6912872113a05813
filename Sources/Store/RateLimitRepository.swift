import Database
package import Foundation

/// SQL for `rate_limit_hits`: sliding-window counters shared by every API process.
///
/// ```swift
/// if let wait = try store.rateLimits.retryAfter(bucket: "login-ip:203.0.113.7", at: now, window: 900, limit: 30) {
///     // 429 with Retry-After: wait
/// }
/// try store.rateLimits.record(bucket: "login-ip:203.0.113.7", at: now, window: 900)
/// ```
package struct RateLimitRepository: Sendable {
    let pool: PostgresPool

    /// Seconds until a new hit would be allowed, or nil when fewer than `limit` hits fall in the window.
    /// - Parameters:
    ///   - window: the window length in seconds.
    ///   - limit: hits allowed per window.
    package func retryAfter(bucket: String, at now: Date, window: Int, limit: Int) throws -> Int? {
        let since = now.addingTimeInterval(-Double(window))
        return try pool.withConnection { connection in
            let rows = try connection.query(
                """
                SELECT at FROM rate_limit_hits WHERE bucket = \(bucket) AND at > \(since)
                ORDER BY at DESC LIMIT \(max(limit, 1))
                """
            )
            guard rows.count >= limit, limit > 0 else { return nil }
            // The oldest of the newest `limit` hits leaves the window first.
            let oldest = try rows.map { try $0.decode(Date.self, at: 0) }.min() ?? now
            return max(1, Int((oldest.timeIntervalSince(since)).rounded(.up)))
        }
    }

    /// Records a hit and forgets this bucket's hits older than the window.
    package func record(bucket: String, at now: Date, window: Int) throws {
        let since = now.addingTimeInterval(-Double(window))
        try pool.withTransaction { connection in
            try connection.execute("DELETE FROM rate_limit_hits WHERE bucket = \(bucket) AND at <= \(since)")
            try connection.execute("INSERT INTO rate_limit_hits (bucket, at) VALUES (\(bucket), \(now))")
        }
    }
}
