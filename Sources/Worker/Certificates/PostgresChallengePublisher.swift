import ACME
package import Database
import Foundation
import HTTPCore
import Store
package import WebClient

/// Publishes http-01 answers through PostgreSQL so every edge process serves them (RFC 8555 §8.3).
///
/// `publish` writes `acme_challenges`, appends to the change log and sends `NOTIFY` in one transaction, then
/// checks through DNS and HTTP (as the CA will) that `http://<host>:<port>/.well-known/acme-challenge/<token>`
/// answers with the key authorization, for up to `selfCheckTimeout`. Edges apply changes in well under a
/// second, so the check normally passes at once; if it does not, the CA is asked anyway and decides.
package struct PostgresChallengePublisher: ChallengePublisher {
    private let pool: PostgresPool
    private let selfCheckClient: HTTPClient?
    private let selfCheckPort: UInt16
    private let selfCheckTimeout: Duration

    package init(
        pool: PostgresPool,
        selfCheckClient: HTTPClient?,
        selfCheckPort: UInt16 = 80,
        selfCheckTimeout: Duration = .seconds(5)
    ) {
        self.pool = pool
        self.selfCheckClient = selfCheckClient
        self.selfCheckPort = selfCheckPort
        self.selfCheckTimeout = selfCheckTimeout
    }

    package func publish(token: String, keyAuthorization: String, host: String) throws {
        try pool.withTransaction { connection in
            try connection.execute(
                """
                INSERT INTO acme_challenges (token, host, key_authorization, expires_at)
                VALUES (\(token), \(host), \(keyAuthorization), now() + interval '1 hour')
                ON CONFLICT (token) DO UPDATE SET host = excluded.host, key_authorization = excluded.key_authorization,
                    expires_at = excluded.expires_at
                """
            )
            try ChangeLogRepository.append(on: connection, host: host, kind: "challenge")
        }
        selfCheck(token: token, keyAuthorization: keyAuthorization, host: host)
    }

    package func unpublish(token: String, host: String) throws {
        try pool.withTransaction { connection in
            try connection.execute("DELETE FROM acme_challenges WHERE token = \(token) AND host = \(host)")
            try ChangeLogRepository.append(on: connection, host: host, kind: "challenge")
        }
    }

    private func selfCheck(token: String, keyAuthorization: String, host: String) {
        guard let client = selfCheckClient else { return }
        let url = "http://\(host):\(selfCheckPort)/.well-known/acme-challenge/\(token)"
        let deadline = ContinuousClock.now + selfCheckTimeout
        while ContinuousClock.now < deadline {
            if let request = try? ClientRequest(url: url), let response = try? client.send(request),
                response.status.code == 200,
                response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines) == keyAuthorization
            {
                return
            }
            usleep(20_000)
        }
    }
}
