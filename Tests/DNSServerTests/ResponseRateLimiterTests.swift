import SystemIO
import Testing

@testable import DNSServer

/// Response rate limiting with a fake clock: the per-prefix limit, slipping, prefixes and the memory cap.
@Suite struct ResponseRateLimiterTests {
    private static let second: UInt64 = 1_000_000_000
    /// An arbitrary start: the clock is monotonic nanoseconds since boot.
    private static let start: UInt64 = 50 * second

    private func address(_ text: String) throws -> SocketAddress {
        try SocketAddress(parsing: text)
    }

    private func decisions(
        _ limiter: inout ResponseRateLimiter,
        _ count: Int,
        from text: String,
        at now: UInt64 = start
    ) throws -> [ResponseRateLimiter.Decision] {
        let source = try address(text)
        return (0..<count).map { _ in limiter.decide(for: source, now: now) }
    }

    @Test func allowsOneSecondsWorthThenLimits() throws {
        var limiter = ResponseRateLimiter(configuration: .init(responsesPerSecond: 5, slip: 0))
        let results = try decisions(&limiter, 8, from: "192.0.2.1:5300")
        #expect(results == Array(repeating: .respond, count: 5) + Array(repeating: .drop, count: 3))
    }

    @Test func refillsAtTheConfiguredRate() throws {
        var limiter = ResponseRateLimiter(configuration: .init(responsesPerSecond: 10, slip: 0))
        #expect(try decisions(&limiter, 10, from: "192.0.2.1:1").allSatisfy { $0 == .respond })
        #expect(try decisions(&limiter, 1, from: "192.0.2.1:1") == [.drop])
        // A tenth of a second later one more response is due, and only one.
        let later = Self.start + Self.second / 10
        #expect(try decisions(&limiter, 2, from: "192.0.2.1:1", at: later) == [.respond, .drop])
        // After a full second the whole burst is back.
        let muchLater = later + Self.second
        #expect(try decisions(&limiter, 11, from: "192.0.2.1:1", at: muchLater).filter { $0 == .respond }.count == 10)
    }

    @Test func everySecondLimitedResponseSlips() throws {
        var limiter = ResponseRateLimiter(configuration: .init(responsesPerSecond: 2, slip: 2))
        let results = try decisions(&limiter, 8, from: "198.51.100.7:53")
        #expect(results == [.respond, .respond, .drop, .slip, .drop, .slip, .drop, .slip])
    }

    @Test func slipOneSlipsEveryLimitedResponse() throws {
        var limiter = ResponseRateLimiter(configuration: .init(responsesPerSecond: 1, slip: 1))
        #expect(try decisions(&limiter, 4, from: "198.51.100.7:53") == [.respond, .slip, .slip, .slip])
    }

    @Test func zeroDisablesLimiting() throws {
        var limiter = ResponseRateLimiter(configuration: .init(responsesPerSecond: 0))
        #expect(try decisions(&limiter, 1000, from: "192.0.2.1:1").allSatisfy { $0 == .respond })
        #expect(limiter.trackedPrefixCount == 0)
    }

    @Test func addressesInOneIPv4Slash24ShareALimit() throws {
        var limiter = ResponseRateLimiter(configuration: .init(responsesPerSecond: 3, slip: 0))
        #expect(try decisions(&limiter, 2, from: "203.0.113.1:1000") == [.respond, .respond])
        #expect(try decisions(&limiter, 2, from: "203.0.113.254:2000") == [.respond, .drop])
        // The next /24 has its own budget.
        #expect(try decisions(&limiter, 3, from: "203.0.114.1:1000") == [.respond, .respond, .respond])
        #expect(limiter.trackedPrefixCount == 2)
    }

    @Test func addressesInOneIPv6Slash56ShareALimit() throws {
        var limiter = ResponseRateLimiter(configuration: .init(responsesPerSecond: 2, slip: 0))
        #expect(try decisions(&limiter, 1, from: "[2001:db8:0:ab00::1]:53") == [.respond])
        #expect(try decisions(&limiter, 2, from: "[2001:db8:0:abff:ffff::9]:53") == [.respond, .drop])
        // 2001:db8:0:ac00::/56 is another network.
        #expect(try decisions(&limiter, 1, from: "[2001:db8:0:ac00::1]:53") == [.respond])
    }

    @Test func ipv4AndIPv6PrefixesNeverCollide() throws {
        var limiter = ResponseRateLimiter(configuration: .init(responsesPerSecond: 1, slip: 0))
        // 0.0.0.1 /24 and ::/56 both have prefix bits 0.
        #expect(try decisions(&limiter, 1, from: "0.0.0.1:1") == [.respond])
        #expect(try decisions(&limiter, 1, from: "[::1]:1") == [.respond])
    }

    @Test func prefixLengthsAreConfigurable() throws {
        let limiter = ResponseRateLimiter(configuration: .init(ipv4PrefixLength: 32, ipv6PrefixLength: 64))
        #expect(limiter.prefix(of: try address("192.0.2.1:1")) != limiter.prefix(of: try address("192.0.2.2:1")))
        #expect(
            limiter.prefix(of: try address("[2001:db8::1]:1")) == limiter.prefix(of: try address("[2001:db8::2]:1"))
        )
        let wide = ResponseRateLimiter(configuration: .init(ipv4PrefixLength: 0))
        #expect(wide.prefix(of: try address("10.0.0.1:1")) == wide.prefix(of: try address("192.0.2.1:1")))
    }

    @Test func memoryIsCappedAndIdlePrefixesGoFirst() throws {
        var limiter = ResponseRateLimiter(
            configuration: .init(responsesPerSecond: 2, slip: 0, maximumTrackedPrefixes: 4)
        )
        // One busy (limited) prefix and three that answered once.
        #expect(try decisions(&limiter, 3, from: "10.0.0.1:1") == [.respond, .respond, .drop])
        for network in 1...3 {
            _ = try decisions(&limiter, 1, from: "10.0.\(network).1:1")
        }
        #expect(limiter.trackedPrefixCount == 4)
        // Half a second on, the three single responses have refilled (idle) but the busy prefix has not: three new
        // prefixes take the idle slots, although the busy one is the oldest.
        let later = Self.start + Self.second / 2
        for network in 10..<13 {
            #expect(try decisions(&limiter, 1, from: "10.0.\(network).1:1", at: later) == [.respond])
            #expect(limiter.trackedPrefixCount == 4)
        }
        // Still tracked: half a second refilled one response, not the two a forgotten prefix would get.
        #expect(try decisions(&limiter, 2, from: "10.0.0.1:1", at: later) == [.respond, .drop])
    }

    @Test func aFullTableOfBusyPrefixesReplacesTheOldest() throws {
        var limiter = ResponseRateLimiter(
            configuration: .init(responsesPerSecond: 1, slip: 0, maximumTrackedPrefixes: 2)
        )
        #expect(try decisions(&limiter, 2, from: "10.0.1.1:1") == [.respond, .drop])
        #expect(try decisions(&limiter, 2, from: "10.0.2.1:1") == [.respond, .drop])
        #expect(try decisions(&limiter, 2, from: "10.0.3.1:1") == [.respond, .drop])
        #expect(limiter.trackedPrefixCount == 2)
        // 10.0.1.0/24 was the oldest and was forgotten, so it starts afresh.
        #expect(try decisions(&limiter, 1, from: "10.0.1.1:1") == [.respond])
    }

    @Test func outOfRangeSettingsAreRejectedButNeverTrap() throws {
        #expect(throws: DNSServerError(.invalidConfiguration, "")) {
            try ResponseRateLimiter.Configuration(slip: -1).validate()
        }
        #expect(throws: DNSServerError(.invalidConfiguration, "")) {
            try ResponseRateLimiter.Configuration(maximumTrackedPrefixes: 0).validate()
        }
        #expect(throws: DNSServerError(.invalidConfiguration, "")) {
            try ResponseRateLimiter.Configuration(ipv4PrefixLength: 33).validate()
        }
        var limiter = ResponseRateLimiter(
            configuration: .init(responsesPerSecond: 1, slip: -3, maximumTrackedPrefixes: 0, ipv4PrefixLength: 40)
        )
        #expect(try decisions(&limiter, 3, from: "192.0.2.1:1") == [.respond, .drop, .drop])
        #expect(try decisions(&limiter, 1, from: "192.0.3.1:1") == [.respond])
    }
}
