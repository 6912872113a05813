import Database
package import Foundation

/// SQL that forgets what has outlived its purpose: expired http-01 answers, change-log rows every follower
/// has long applied (a follower further behind reloads everything), old rate-limit hits, and the heartbeats of
/// edges gone for a day.
package struct RetentionRepository: Sendable {
    /// How long change-log rows are kept.
    package static let changeLogRetention: TimeInterval = 2 * 86_400
    /// How long rate-limit hits are kept (longer than any rate-limit window).
    package static let rateLimitRetention: TimeInterval = 86_400

    let pool: PostgresPool

    /// Deletes the expired rows.
    package func purge(at now: Date = Date()) throws {
        let changesBefore = now.addingTimeInterval(-Self.changeLogRetention)
        let hitsBefore = now.addingTimeInterval(-Self.rateLimitRetention)
        try pool.withConnection { connection in
            try connection.execute("DELETE FROM acme_challenges WHERE expires_at < \(now)")
            try connection.execute("DELETE FROM changes WHERE at < \(changesBefore)")
            try connection.execute("DELETE FROM rate_limit_hits WHERE at < \(hitsBefore)")
            try connection.execute("DELETE FROM edge_heartbeats WHERE seen_at < \(hitsBefore)")
        }
    }
}
