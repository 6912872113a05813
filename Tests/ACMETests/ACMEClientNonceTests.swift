import Crypto
import Foundation
import Testing

@testable import ACME

/// Nonce handling (RFC 8555 §6.5, §7.2): pool reuse and the single badNonce retry.
@Suite struct ACMEClientNonceTests {
    private func scriptOrderCreation(on server: ScriptedACMEServer) {
        server.expect(.post, Pebble.newOrderURL) { _ in
            .json(201, Pebble.order(status: "pending"), headers: [("Location", Pebble.orderURL)])
        }
    }

    @Test func badNonceIsRetriedOnceWithTheNonceFromTheError() throws {
        let server = ScriptedACMEServer()
        let client = try Pebble.makeClient(server: server, clock: TestClock())
        Pebble.scriptAccount(on: server)
        server.expect(.post, Pebble.newOrderURL) { _ in
            .problem(
                400,
                type: "badNonce",
                detail: "JWS has an invalid anti-replay nonce",
                headers: [("Replay-Nonce", "from-error-1")]
            )
        }
        server.expect(.post, Pebble.newOrderURL) { received in
            guard received.header?.nonce == "from-error-1" else {
                throw ScriptedACMEServer.ServerFailure("retry did not use the nonce from the error response")
            }
            return .json(201, Pebble.order(status: "pending"), headers: [("Location", Pebble.orderURL)])
        }
        let handle = try client.newOrder(for: [Pebble.domain])
        #expect(handle.url == Pebble.orderURL)
        #expect(handle.order.status == .pending)
        #expect(server.failures == [])
        #expect(server.remainingSteps == 0)
    }

    @Test func secondBadNonceIsThrown() throws {
        let server = ScriptedACMEServer()
        let client = try Pebble.makeClient(server: server, clock: TestClock())
        Pebble.scriptAccount(on: server)
        server.expect(.post, Pebble.newOrderURL) { _ in
            .problem(400, type: "badNonce", detail: "bad nonce 1", headers: [("Replay-Nonce", "e1")])
        }
        server.expect(.post, Pebble.newOrderURL) { _ in
            .problem(400, type: "badNonce", detail: "bad nonce 2", headers: [("Replay-Nonce", "e2")])
        }
        let error = try #require(throws: ACMEError.self) { try client.newOrder(for: [Pebble.domain]) }
        #expect(error.code == .problem)
        #expect(error.problemType == .badNonce)
        #expect(error.problem?.detail == "bad nonce 2")
        #expect(error.status == 400)
        #expect(server.failures == [])
        #expect(server.remainingSteps == 0)
        // The nonce of the final error response is pooled: the next request needs no HEAD.
        scriptOrderCreation(on: server)
        #expect(try client.newOrder(for: [Pebble.domain]).url == Pebble.orderURL)
        #expect(server.failures == [])
    }

    @Test func badNonceWithoutReplayNonceFetchesAFreshOne() throws {
        let server = ScriptedACMEServer()
        let client = try Pebble.makeClient(server: server, clock: TestClock())
        Pebble.scriptAccount(on: server)
        // An explicitly empty Replay-Nonce stands for "none" (the scripted server adds one otherwise).
        server.expect(.post, Pebble.newOrderURL) { _ in
            .problem(400, type: "badNonce", detail: "stale", headers: [("Replay-Nonce", "")])
        }
        server.expect(.head, Pebble.newNonceURL) { _ in ACMEHTTPResponse(status: 200) }
        scriptOrderCreation(on: server)
        #expect(try client.newOrder(for: [Pebble.domain]).url == Pebble.orderURL)
        #expect(server.failures == [])
    }

    @Test func noncePoolIsBoundedAndSingleUse() {
        let pool = ACMENoncePool(capacity: 2)
        pool.add("a")
        pool.add("b")
        pool.add("c")
        #expect(pool.count == 2)
        #expect(pool.take() == "c")
        #expect(pool.take() == "b")
        #expect(pool.take() == nil)
    }
}
