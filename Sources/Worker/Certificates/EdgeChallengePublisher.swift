import ACME
import Foundation
import HTTPCore
package import Store
package import WebClient

/// Publishes http-01 answers to every edge process through the store (RFC 8555 §8.3).
///
/// `publish` writes the answer and the change-log row in one transaction (edges apply it from their
/// snapshot), then checks through DNS and HTTP, as the CA will, that
/// `http://<host>:<port>/.well-known/acme-challenge/<token>` answers with the key authorization, for up to
/// `selfCheckTimeout`. Edges apply changes in well under a second, so the check normally passes at once; if
/// it does not, the CA is asked anyway and decides.
package struct EdgeChallengePublisher: ChallengePublisher {
    private let store: DataStore
    private let selfCheckClient: HTTPClient?
    private let selfCheckPort: UInt16
    private let selfCheckTimeout: Duration

    package init(
        store: DataStore,
        selfCheckClient: HTTPClient?,
        selfCheckPort: UInt16 = 80,
        selfCheckTimeout: Duration = .seconds(5)
    ) {
        self.store = store
        self.selfCheckClient = selfCheckClient
        self.selfCheckPort = selfCheckPort
        self.selfCheckTimeout = selfCheckTimeout
    }

    package func publish(token: String, keyAuthorization: String, host: String) throws {
        try store.challenges.publish(token: token, host: host, keyAuthorization: keyAuthorization)
        selfCheck(token: token, keyAuthorization: keyAuthorization, host: host)
    }

    package func unpublish(token: String, host: String) throws {
        try store.challenges.unpublish(token: token, host: host)
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
