import API
import DNS
import Dispatch
import Foundation
import HTTPCore
import Synchronization
import SystemIO
import TestSupport
import Testing

/// A resolver on a loopback UDP port that counts queries and either never answers (a name server that has
/// gone silent) or answers NXDOMAIN to everything.
private final class CountingResolver: Sendable {
    let address: DNSServerAddress
    private let socket: DatagramSocket
    private let answers: Bool
    private let received = Mutex(0)
    private let isStopping = Mutex(false)
    private let exited = DispatchSemaphore(value: 0)

    init(answers: Bool) throws {
        self.answers = answers
        socket = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        address = DNSServerAddress(host: .v4(IPv4Address(127, 0, 0, 1)), port: try socket.localAddress().port)
        Thread.detachNewThread { [self] in
            serve()
            exited.signal()
        }
    }

    var queryCount: Int { received.withLock { $0 } }

    func client(timeout: Duration) -> DNSClient {
        DNSClient(resolvers: [address], timeout: timeout, attempts: 1)
    }

    private func serve() {
        while !isStopping.withLock({ $0 }) {
            guard (try? socket.waitUntilReady(for: .readable, until: .after(.milliseconds(20)))) == true,
                case .processed(let datagram)? = try? socket.receive(maximumCount: 65535),
                datagram.bytes.count >= 12
            else { continue }
            received.withLock { $0 += 1 }
            guard answers else { continue }
            // The query echoed as a response: QR and RA set, RCODE 3 (NXDOMAIN).
            var reply = datagram.bytes
            reply[2] |= 0x80
            reply[3] = (reply[3] & 0x70) | 0x80 | 3
            _ = try? socket.send(reply, to: datagram.peer)
        }
    }

    func stop() {
        let wasStopping = isStopping.withLock { stopping in
            defer { stopping = true }
            return stopping
        }
        guard !wasStopping else { return }
        exited.wait()
        try? socket.close()
    }

    deinit { stop() }
}

/// Live DNS work is bounded per request and per account, so one tenant's broken name servers cannot slow
/// anyone else down.
@Suite struct LiveLookupBudgetTests {
    private func verifiedDomain(_ api: APIHarness, _ email: String, _ name: String) throws -> String {
        let token = try api.signUp(email, remoteAddress: "198.51.100.\(email.count)")
        #expect(api.send(.post, "/v1/domains", json: ["name": .string(name)], token: token).status == 201)
        return token
    }

    @Test func anAccountRunsAtMostTwoLookupRequestsAtOnceAndEachEndsWithinTheBudget() throws {
        let silent = try CountingResolver(answers: false)
        defer { silent.stop() }
        let service = LiveLookupService(client: silent.client(timeout: .seconds(10)), budget: .seconds(1))
        let api = try APIHarness(liveLookups: service)
        let token = try verifiedDomain(api, "slow@example.com", "silent.example.test")
        let results = Mutex<[(status: Int, seconds: Double)]>([])
        // Six threads of their own (a concurrentPerform would run only as many as there are cores).
        let finished = DispatchGroup()
        for _ in 0..<6 {
            finished.enter()
            Thread.detachNewThread {
                defer { finished.leave() }
                let started = ContinuousClock.now
                let response = api.send(.get, "/v1/domains/silent.example.test/dns-records", token: token)
                let elapsed = started.duration(to: .now).components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                results.withLock { $0.append((response.status, seconds)) }
            }
        }
        #expect(finished.wait(timeout: .now() + 30) == .success)
        let seen = results.withLock { $0 }
        #expect(seen.filter { $0.status == 200 }.count <= 2)
        #expect(seen.filter { $0.status == 429 }.count >= 4)
        // Four lookups in parallel under one budget of 1 s: no request waits anything like 4 × 10 s.
        #expect(seen.allSatisfy { $0.seconds < 3 }, "\(seen)")
        let other = try api.signUp("fast@example.com", remoteAddress: "198.51.100.99")
        let slow = api.send(.get, "/v1/domains/silent.example.test/dns-records", token: token)
        #expect(slow.status == 200)
        let statuses = (slow.json?["records"]?.arrayValue ?? []).compactMap { $0["status"]?.stringValue }
        #expect(!statuses.isEmpty && statuses.allSatisfy { $0 == "unknown" })
        let detail = slow.json?["records"]?[0]?["found"]?["detail"]?.stringValue ?? ""
        #expect(detail.contains("in time"), "\(detail)")
        #expect(api.send(.get, "/v1/account", token: other).status == 200)
    }

    @Test func answersAreSharedForAFewSecondsButFailuresAreNot() throws {
        let resolver = try CountingResolver(answers: true)
        defer { resolver.stop() }
        let service = LiveLookupService(client: resolver.client(timeout: .seconds(2)), cacheLifetime: .seconds(30))
        let api = try APIHarness(liveLookups: service)
        let token = try verifiedDomain(api, "cache@example.com", "cached.example.test")
        #expect(api.send(.get, "/v1/domains/cached.example.test/dns-records", token: token).status == 200)
        let first = resolver.queryCount
        #expect(first >= 4)
        #expect(api.send(.get, "/v1/domains/cached.example.test/dns-records", token: token).status == 200)
        #expect(resolver.queryCount == first)
        // Verification reads the shared ownership answer and asks only for what it has not seen: the MX.
        #expect(api.send(.post, "/v1/domains/cached.example.test/verify", token: token).status == 422)
        #expect(resolver.queryCount == first + 1)

        let silent = try CountingResolver(answers: false)
        defer { silent.stop() }
        let failing = LiveLookupService(client: silent.client(timeout: .milliseconds(200)), cacheLifetime: .seconds(30))
        let other = try APIHarness(liveLookups: failing)
        let session = try verifiedDomain(other, "fail@example.com", "failing.example.test")
        #expect(other.send(.post, "/v1/domains/failing.example.test/verify", token: session).status == 422)
        let asked = silent.queryCount
        #expect(other.send(.post, "/v1/domains/failing.example.test/verify", token: session).status == 422)
        #expect(silent.queryCount > asked)
    }
}
