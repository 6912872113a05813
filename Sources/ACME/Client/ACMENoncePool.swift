import Synchronization

/// Unused `Replay-Nonce` values (RFC 8555 §7.2), shared by the threads using one client.
///
/// Every response carries a fresh nonce; keeping it saves the HEAD newNonce round trip on the next request.
/// Each nonce is handed out once.
final class ACMENoncePool: Sendable {
    private let nonces = Mutex<[String]>([])
    private let capacity: Int

    /// Creates an empty pool that keeps at most `capacity` nonces.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Removes and returns the most recent nonce, if any.
    func take() -> String? {
        nonces.withLock { $0.popLast() }
    }

    /// Adds `nonce`, dropping the oldest when full.
    func add(_ nonce: String) {
        nonces.withLock { pool in
            pool.append(nonce)
            if pool.count > capacity { pool.removeFirst(pool.count - capacity) }
        }
    }

    /// The number of pooled nonces.
    var count: Int {
        nonces.withLock { $0.count }
    }
}
