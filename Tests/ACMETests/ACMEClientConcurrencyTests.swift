import Crypto
import Foundation
import Synchronization
import Testing

@testable import ACME

/// One client shared by worker threads: nonces are never reused and the account is registered once the
/// directory is cached.
@Suite struct ACMEClientConcurrencyTests {
    /// A tiny CA front end answering any number of concurrent POST-as-GET order fetches.
    final class OrderServer: ACMETransport {
        private struct State {
            var counter = 0
            var issued: Set<String> = []
            var used: Set<String> = []
            var violations: [String] = []
            var heads = 0
            var directoryFetches = 0
        }
        private let state = Mutex(State())
        let accountKey: P256PublicKey

        init(accountKey: P256PublicKey) {
            self.accountKey = accountKey
        }

        var violations: [String] { state.withLock { $0.violations } }
        var heads: Int { state.withLock { $0.heads } }
        var directoryFetches: Int { state.withLock { $0.directoryFetches } }

        func send(_ request: ACMEHTTPRequest) throws -> ACMEHTTPResponse {
            try state.withLock { state in
                state.counter += 1
                let nonce = "n\(state.counter)"
                state.issued.insert(nonce)
                var response: ACMEHTTPResponse
                switch (request.method, request.url) {
                case (.get, Pebble.directoryURL):
                    state.directoryFetches += 1
                    response = .json(200, Pebble.directory())
                case (.head, Pebble.newNonceURL):
                    state.heads += 1
                    response = ACMEHTTPResponse(status: 200)
                case (.post, Pebble.orderURL):
                    let jws = try JWS(serialized: request.body)
                    let header = try jws.decodedHeader()
                    if let used = header.nonce, state.issued.contains(used), state.used.insert(used).inserted {
                        // fresh nonce: fine
                    } else {
                        state.violations.append("nonce \(header.nonce ?? "-") reused or unknown")
                    }
                    if !jws.isValidSignature(publicKey: accountKey) || header.key != .accountURL(Pebble.accountURL) {
                        state.violations.append("bad signature or kid")
                    }
                    response = .json(200, Pebble.order(status: "processing"))
                default:
                    state.violations.append("unexpected \(request.method) \(request.url)")
                    response = ACMEHTTPResponse(status: 404)
                }
                response.headers.append("Replay-Nonce", nonce)
                return response
            }
        }
    }

    @Test func parallelRequestsUseDistinctNonces() throws {
        let accountKey = try P256PrivateKey.generate()
        let server = OrderServer(accountKey: accountKey.publicKey)
        let client = ACMEClient(
            configuration: ACMEClientConfiguration(directoryURL: Pebble.directoryURL),
            accountKey: accountKey,
            accountURL: Pebble.accountURL,
            transport: server,
            clock: TestClock()
        )
        _ = try client.directory()
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<25 {
                do {
                    _ = try client.fetchOrder(at: Pebble.orderURL)
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(server.violations == [])
        #expect(server.directoryFetches == 1)
        // 200 requests needed at most one HEAD per thread at the start (pooled nonces did the rest).
        #expect(server.heads <= 8)
    }
}
