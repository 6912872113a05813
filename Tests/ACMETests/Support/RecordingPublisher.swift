import ACME
import Synchronization

/// An in-memory ``ChallengePublisher`` that remembers what is currently served and every call made.
final class RecordingPublisher: ChallengePublisher {
    struct Entry: Hashable {
        var host: String
        var token: String
    }

    private let state = Mutex<(served: [Entry: String], log: [String])>(([:], []))
    private let failing: Bool

    init(failing: Bool = false) {
        self.failing = failing
    }

    func publish(token: String, keyAuthorization: String, host: String) throws {
        if failing { throw PublisherFailure() }
        state.withLock {
            $0.served[Entry(host: host, token: token)] = keyAuthorization
            $0.log.append("publish \(host) \(token)")
        }
    }

    func unpublish(token: String, host: String) throws {
        state.withLock {
            $0.served[Entry(host: host, token: token)] = nil
            $0.log.append("unpublish \(host) \(token)")
        }
    }

    /// What `http://host/.well-known/acme-challenge/token` would serve now.
    func served(host: String, token: String) -> String? {
        state.withLock { $0.served[Entry(host: host, token: token)] }
    }

    /// Every publish/unpublish call in order.
    var log: [String] {
        state.withLock { $0.log }
    }

    struct PublisherFailure: Error {}
}
