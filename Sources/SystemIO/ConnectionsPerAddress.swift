import Synchronization

/// Open connections per client, counted across all of one server's loops, so that no client can take every
/// connection slot: ``acquire(_:)`` at accept, ``release(_:)`` at close.
///
/// A client is a prefix the server chooses: the servers use HTTPCore's `ClientAddress.limitPrefix`, an IPv4
/// address or an IPv6 /64 (the table is generic so that SystemIO needs no HTTP types). One client's connections
/// reach every loop (the HTTP server's loops share one listener; SMTP and DNS over TCP give each loop a
/// `SO_REUSEPORT` listener), so per-loop counts would each see only a part; the count has to be shared. It is
/// striped rather than behind one lock: the prefix picks one of 64 stripes, each a mutex around a dictionary of
/// counts, so two loops wait for each other only when they accept or close connections of prefixes in the same
/// stripe at the same instant, and then for one dictionary update. The counts are exact (a sketch of atomic
/// counters would need no lock at all, but could refuse an innocent client whose slots collide with busy ones). A
/// prefix leaves its dictionary when its count drops to zero, and the dictionaries keep their storage, so a steady
/// stream of connections allocates nothing.
///
/// ```swift
/// let table = ConnectionsPerAddress<ClientAddress>(limit: 64)
/// guard table.acquire(peer.limitPrefix) else { refuse(); return }
/// defer { table.release(peer.limitPrefix) }
/// ```
package final class ConnectionsPerAddress<Prefix: Hashable & Sendable>: Sendable {
    /// How many connections one prefix may hold.
    package let limit: Int
    private let stripes: [Stripe<Prefix>]

    /// Creates an empty table.
    /// - Parameter limit: Connections allowed per prefix (at least 1).
    package init(limit: Int) {
        self.limit = max(1, limit)
        stripes = (0..<Self.stripeCount).map { _ in Stripe() }
    }

    /// Counts a new connection of `prefix`.
    /// - Returns: false, counting nothing, when `prefix` already holds ``limit`` connections.
    package func acquire(_ prefix: Prefix) -> Bool {
        let limit = self.limit
        return stripe(for: prefix).counts.withLock { counts in
            // One hash lookup: the `default:` subscript's modify accessor yields the count in place (a new prefix
            // starts at 0, which is under any limit, so a refusal never leaves a 0 behind).
            Self.increment(&counts[prefix, default: 0], below: limit)
        }
    }

    /// Uncounts a closed connection of `prefix` (one that ``acquire(_:)`` counted).
    package func release(_ prefix: Prefix) {
        stripe(for: prefix).counts.withLock { counts in
            // One hash lookup, through the index.
            guard let index = counts.index(forKey: prefix) else { return }
            if counts.values[index] > 1 {
                counts.values[index] -= 1
            } else {
                counts.remove(at: index)
            }
        }
    }

    /// The connections `prefix` holds.
    package func count(for prefix: Prefix) -> Int {
        stripe(for: prefix).counts.withLock { $0[prefix, default: 0] }
    }

    private static var stripeCount: Int { 64 }

    private static func increment(_ count: inout Int, below limit: Int) -> Bool {
        guard count < limit else { return false }
        count += 1
        return true
    }

    /// The prefix's hash, mixed multiplicatively; its top six bits pick the stripe (Fibonacci hashing). Swift's
    /// hashing is seeded per process, so a client choosing its addresses cannot aim at one stripe, and crowding
    /// one would only slow that stripe without making any count wrong.
    private func stripe(for prefix: Prefix) -> Stripe<Prefix> {
        let mixed = UInt64(UInt(bitPattern: prefix.hashValue)) &* 0x9E37_79B9_7F4A_7C15
        return stripes[Int(truncatingIfNeeded: mixed >> 58)]
    }
}

/// One stripe of ``ConnectionsPerAddress``: the counts of the prefixes that map to it.
private final class Stripe<Prefix: Hashable & Sendable>: Sendable {
    let counts = Mutex<[Prefix: Int]>([:])
}
