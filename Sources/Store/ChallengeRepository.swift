import Database
package import Foundation

/// SQL for `acme_challenges`: http-01 answers (RFC 8555 §8.3) that every edge serves from its snapshot.
package struct ChallengeRepository: Sendable {
    let pool: PostgresPool

    /// Publishes (or replaces) the answer for `token` on `host` and tells the edges, in one transaction.
    /// - Parameter lifetime: how long the answer is served at most; expired answers are purged.
    package func publish(
        token: String,
        host: String,
        keyAuthorization: String,
        lifetime: Duration = .seconds(3600),
        at now: Date = Date()
    ) throws {
        let expiresAt = now.addingTimeInterval(Double(lifetime.components.seconds))
        try pool.withTransaction { connection in
            try connection.execute(
                """
                INSERT INTO acme_challenges (token, host, key_authorization, created_at, expires_at)
                VALUES (\(token), \(host), \(keyAuthorization), \(now), \(expiresAt))
                ON CONFLICT (token) DO UPDATE SET host = excluded.host,
                    key_authorization = excluded.key_authorization, created_at = excluded.created_at,
                    expires_at = excluded.expires_at
                """
            )
            try ChangeLogRepository.append(on: connection, host: host, kind: .challenge, at: now)
        }
    }

    /// Withdraws the answer for `token` on `host` and tells the edges.
    package func unpublish(token: String, host: String, at now: Date = Date()) throws {
        try pool.withTransaction { connection in
            try connection.execute("DELETE FROM acme_challenges WHERE token = \(token) AND host = \(host)")
            try ChangeLogRepository.append(on: connection, host: host, kind: .challenge, at: now)
        }
    }
}
