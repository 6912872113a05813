package import SystemIO

/// Response rate limiting for UDP, the amplification defence BIND calls RRL: at most a configured number of
/// responses per second to each source prefix, and over that limit every Kth response "slips" out as an empty
/// truncated answer while the rest are dropped.
///
/// A forged source address can make the server send answers to a victim; limiting per prefix (IPv4 /24, IPv6 /56
/// by default) caps what any one victim network receives. A real client behind a limited prefix still gets the
/// slipped TC answers and retries over TCP, which cannot be forged and is never limited.
///
/// Each prefix is a GCRA bucket (the "virtual scheduling" form of a token bucket): one timestamp, the theoretical
/// arrival time, per prefix. A burst of up to one second's worth of responses passes at once, after which responses
/// pass at the configured rate. Memory is bounded by ``Configuration/maximumTrackedPrefixes``: when the table is
/// full a new prefix replaces an idle one (one whose bucket has refilled, which is the same as forgetting it), and
/// failing that the oldest entry.
///
/// Pure and clock-injected: `now` is monotonic nanoseconds passed to every call.
///
/// ```swift
/// var limiter = ResponseRateLimiter(configuration: .init(responsesPerSecond: 20, slip: 2))
/// switch limiter.decide(for: peer, now: Deadline.now().uptimeNanoseconds) {
/// case .respond: send(response)
/// case .slip: send(truncated(response))
/// case .drop: break
/// }
/// ```
package struct ResponseRateLimiter: Sendable {
    /// The limits.
    package struct Configuration: Sendable, Hashable {
        /// Responses per second allowed to one prefix; 0 disables rate limiting.
        package var responsesPerSecond: Int
        /// Every `slip`th limited response is sent truncated instead of dropped; 0 drops them all, 1 slips them all.
        package var slip: Int
        /// How many prefixes are tracked at once, bounding memory (about 40 bytes per prefix).
        package var maximumTrackedPrefixes: Int
        /// The IPv4 prefix length responses are counted by (0...32).
        package var ipv4PrefixLength: Int
        /// The IPv6 prefix length responses are counted by (0...64).
        package var ipv6PrefixLength: Int

        /// Creates a configuration; the defaults follow BIND's RRL (slip 2, /24 and /56).
        package init(
            responsesPerSecond: Int = 50,
            slip: Int = 2,
            maximumTrackedPrefixes: Int = 65536,
            ipv4PrefixLength: Int = 24,
            ipv6PrefixLength: Int = 56
        ) {
            self.responsesPerSecond = responsesPerSecond
            self.slip = slip
            self.maximumTrackedPrefixes = maximumTrackedPrefixes
            self.ipv4PrefixLength = ipv4PrefixLength
            self.ipv6PrefixLength = ipv6PrefixLength
        }

        /// Checks the ranges.
        /// - Throws: ``DNSServerError/Code-swift.struct/invalidConfiguration`` naming the first value out of range.
        package func validate() throws(DNSServerError) {
            guard responsesPerSecond >= 0, slip >= 0, maximumTrackedPrefixes >= 1 else {
                throw DNSServerError(
                    .invalidConfiguration,
                    "rate limit needs responsesPerSecond >= 0, slip >= 0 and maximumTrackedPrefixes >= 1"
                )
            }
            guard (0...32).contains(ipv4PrefixLength), (0...64).contains(ipv6PrefixLength) else {
                throw DNSServerError(.invalidConfiguration, "rate limit prefix lengths must be 0...32 and 0...64")
            }
        }
    }

    /// What to do with one UDP response.
    package enum Decision: Sendable, Hashable {
        /// Within the limit: send it.
        case respond
        /// Over the limit, but this one slips: send it truncated (TC, no records) so a real client retries over TCP.
        case slip
        /// Over the limit: send nothing.
        case drop
    }

    /// A source network: the family and the address bits above the prefix length.
    package struct Prefix: Sendable, Hashable {
        /// Whether the prefix is an IPv6 one.
        package let isIPv6: Bool
        /// The prefix bits, right-aligned.
        package let bits: UInt64
    }

    private struct Entry {
        let prefix: Prefix
        /// GCRA's theoretical arrival time: when the bucket is full again, in monotonic nanoseconds.
        var theoreticalArrival: UInt64
        /// Limited responses so far, for the slip count.
        var limitedCount: UInt64
    }

    /// The limits.
    package let configuration: Configuration
    /// Nanoseconds one response uses up: 1 s / rate.
    private let emissionInterval: UInt64
    /// How far ahead of `now` the theoretical arrival may run before responses are limited: one second's burst.
    private let burstTolerance: UInt64
    /// ``Configuration/slip`` as used (negative counts as 0).
    private let slipInterval: UInt64
    /// ``Configuration/maximumTrackedPrefixes`` as used (at least 1).
    private let capacity: Int
    private var entries: [Entry] = []
    private var positions: [Prefix: Int] = [:]
    /// The next slot considered for replacement once the table is full (a clock hand over `entries`).
    private var hand = 0

    /// How many entries past the hand are searched for an idle one before the oldest is replaced.
    private static let evictionProbe = 8

    /// Creates a limiter with an empty table.
    package init(configuration: Configuration) {
        self.configuration = configuration
        let rate = UInt64(max(configuration.responsesPerSecond, 1))
        self.emissionInterval = 1_000_000_000 / rate
        self.burstTolerance = emissionInterval * (rate - 1)
        self.slipInterval = UInt64(max(configuration.slip, 0))
        self.capacity = max(configuration.maximumTrackedPrefixes, 1)
    }

    /// The number of prefixes currently tracked.
    package var trackedPrefixCount: Int { entries.count }

    /// The prefix `address` is counted under.
    package func prefix(of address: SocketAddress) -> Prefix {
        let value = address.numericAddress
        switch address.family {
        case .ipv4:
            let length = min(max(configuration.ipv4PrefixLength, 0), 32)
            return Prefix(isIPv6: false, bits: length == 0 ? 0 : value.low >> UInt64(32 - length))
        case .ipv6:
            let length = min(max(configuration.ipv6PrefixLength, 0), 64)
            return Prefix(isIPv6: true, bits: length == 0 ? 0 : value.high >> UInt64(64 - length))
        }
    }

    /// Counts one response to `address` at `now` and says whether to send it.
    /// - Parameters:
    ///   - address: The query's source, which is where the response goes.
    ///   - now: Monotonic nanoseconds.
    package mutating func decide(for address: SocketAddress, now: UInt64) -> Decision {
        guard configuration.responsesPerSecond > 0 else { return .respond }
        let prefix = prefix(of: address)
        let index = positions[prefix] ?? insert(prefix, now: now)
        let arrival = max(entries[index].theoreticalArrival, now)
        if arrival - now <= burstTolerance {
            entries[index].theoreticalArrival = arrival + emissionInterval
            return .respond
        }
        entries[index].limitedCount += 1
        return slipInterval > 0 && entries[index].limitedCount % slipInterval == 0 ? .slip : .drop
    }

    /// Adds a fresh entry for `prefix`, replacing one when the table is full, and returns its index.
    private mutating func insert(_ prefix: Prefix, now: UInt64) -> Int {
        let entry = Entry(prefix: prefix, theoreticalArrival: now, limitedCount: 0)
        guard entries.count >= capacity else {
            entries.append(entry)
            positions[prefix] = entries.count - 1
            return entries.count - 1
        }
        var victim = hand
        for offset in 0..<min(Self.evictionProbe, entries.count) {
            let candidate = (hand + offset) % entries.count
            if entries[candidate].theoreticalArrival <= now {
                victim = candidate
                break
            }
        }
        hand = (victim + 1) % entries.count
        positions[entries[victim].prefix] = nil
        entries[victim] = entry
        positions[prefix] = victim
        return victim
    }
}
