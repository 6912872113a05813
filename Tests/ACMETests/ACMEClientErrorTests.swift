import Crypto
import Foundation
import Testing

@testable import ACME

/// Problem documents and failure paths surfaced as ``ACMEError``.
@Suite struct ACMEClientErrorTests {
    @Test func rateLimitedCarriesRetryAfterSeconds() throws {
        let server = ScriptedACMEServer()
        let clock = TestClock()
        let client = try Pebble.makeClient(server: server, clock: clock)
        Pebble.scriptAccount(on: server)
        server.expect(.post, Pebble.newOrderURL) { _ in
            .problem(
                429,
                type: "rateLimited",
                detail: "too many certificates (5) already issued for this exact set",
                headers: [
                    ("Retry-After", "3600"), ("Link", "<https://letsencrypt.org/docs/rate-limits/>;rel=\"help\""),
                ]
            )
        }
        let error = try #require(throws: ACMEError.self) { try client.newOrder(for: [Pebble.domain]) }
        #expect(error.code == .problem)
        #expect(error.problemType == .rateLimited)
        #expect(error.status == 429)
        #expect(error.retryAfter == clock.now().addingTimeInterval(3600))
        #expect(error.description.contains("rateLimited: too many certificates"))
    }

    @Test func rateLimitedCarriesRetryAfterHTTPDate() throws {
        let server = ScriptedACMEServer()
        let client = try Pebble.makeClient(server: server, clock: TestClock())
        Pebble.scriptAccount(on: server)
        server.expect(.post, Pebble.newOrderURL) { _ in
            .problem(
                429,
                type: "rateLimited",
                detail: "slow down",
                headers: [("retry-after", "Wed, 26 Nov 2025 08:00:00 GMT")]
            )
        }
        let error = try #require(throws: ACMEError.self) { try client.newOrder(for: [Pebble.domain]) }
        #expect(error.retryAfter == Date(timeIntervalSince1970: 1_764_144_000))
    }

    @Test func invalidAuthorizationSurfacesTheChallengeError() throws {
        let server = ScriptedACMEServer()
        let publisher = RecordingPublisher()
        let client = try Pebble.makeClient(server: server, clock: TestClock())
        let challengeError =
            #"{"type":"urn:ietf:params:acme:error:unauthorized","detail":"The key authorization file from the server did not match this challenge","status":403}"#
        Pebble.scriptAccount(on: server)
        server.expect(.post, Pebble.newOrderURL) { _ in
            .json(201, Pebble.order(status: "pending"), headers: [("Location", Pebble.orderURL)])
        }
        server.expect(.post, Pebble.authorizationURL) { _ in
            .json(200, Pebble.authorization(status: "pending", challengeStatus: "pending"))
        }
        server.expect(.post, Pebble.challengeURL) { _ in .json(200, Pebble.challenge(status: "processing")) }
        server.expect(.post, Pebble.authorizationURL) { _ in
            // Pebble lists only the attempted challenge once the authorization is invalid.
            .json(
                200,
                """
                {"status":"invalid","identifier":{"type":"dns","value":"\(Pebble.domain)"},\
                "challenges":[\(Pebble.challenge(status: "invalid", error: challengeError))]}
                """
            )
        }
        let error = try #require(throws: ACMEError.self) {
            try client.issueCertificate(for: [Pebble.domain], publisher: publisher)
        }
        #expect(error.code == .authorizationFailed)
        #expect(error.problemType == .unauthorized)
        #expect(error.problem?.detail == "The key authorization file from the server did not match this challenge")
        #expect(error.description.contains("authorization for mta-sts.example.com is invalid"))
        #expect(server.failures == [])
        // Published, then cleaned up despite the failure.
        #expect(publisher.log.last == "unpublish \(Pebble.domain) \(Pebble.token)")
        #expect(publisher.served(host: Pebble.domain, token: Pebble.token) == nil)
    }

    @Test func orderNotReadyOnFinalizeRefetchesTheOrder() throws {
        let server = ScriptedACMEServer()
        let clock = TestClock()
        let ca = try TestCA()
        let client = try Pebble.makeClient(server: server, clock: clock)
        Pebble.scriptAccount(on: server)
        server.expect(.post, Pebble.newOrderURL) { _ in
            .json(201, Pebble.order(status: "ready"), headers: [("Location", Pebble.orderURL)])
        }
        server.expect(.post, Pebble.finalizeURL) { _ in
            .problem(
                403,
                type: "orderNotReady",
                detail: "Order's status (\\\"pending\\\") is not acceptable for finalization"
            )
        }
        server.expect(.post, Pebble.orderURL) { _ in .json(200, Pebble.order(status: "ready")) }
        server.expect(.post, Pebble.finalizeURL) { received in
            let csr = try #require(Base64URL.decode(try received.json()["csr"] as? String ?? ""))
            server.stash(try ca.issue(csr: csr, names: [Pebble.domain]))
            return .json(200, Pebble.order(status: "valid", certificate: true))
        }
        server.expect(.post, Pebble.certificateURL) { _ in
            ACMEHTTPResponse(status: 200, body: Array(server.stashed.utf8))
        }
        let issued = try client.issueCertificate(for: [Pebble.domain], publisher: RecordingPublisher())
        #expect(issued.certificateChainPEM == server.stashed)
        #expect(clock.sleeps == [0.1])
        #expect(server.failures == [])
    }

    @Test func externalAccountBindingRequiredButMissing() throws {
        let server = ScriptedACMEServer()
        let client = try Pebble.makeClient(server: server, clock: TestClock())
        server.expect(.get, Pebble.directoryURL) { _ in .json(200, Pebble.directory(externalAccountRequired: true)) }
        let error = try #require(throws: ACMEError.self) { try client.registerAccount() }
        #expect(error.code == .externalAccountBindingRequired)
        #expect(error.description.contains("MTASTS_ACME_EAB_KID"))
        // Nothing was sent to newAccount.
        #expect(server.requests.count == 1)
    }

    @Test func externalAccountBindingIsSentAndVerifies() throws {
        let server = ScriptedACMEServer()
        let macKey: [UInt8] = Array(0..<32)
        let binding = try ExternalAccountBinding(keyID: "zerossl-kid-42", macKey: macKey)
        let client = try Pebble.makeClient(server: server, clock: TestClock(), externalAccountBinding: binding)
        let accountJWK = client.accountKey.jwk
        server.expect(.get, Pebble.directoryURL) { _ in .json(200, Pebble.directory(externalAccountRequired: true)) }
        server.expect(.head, Pebble.newNonceURL) { _ in ACMEHTTPResponse(status: 200) }
        server.expect(.post, Pebble.newAccountURL) { received in
            let payload = try received.json()
            let inner = try JSONSerialization.data(withJSONObject: payload["externalAccountBinding"] ?? [:])
            let jws = try JWS(serialized: Array(inner))
            let header = try jws.decodedHeader()
            guard header.algorithm == .hs256, header.key == .keyID("zerossl-kid-42"), header.nonce == nil,
                header.url == Pebble.newAccountURL, jws.decodedPayload == Array(accountJWK.utf8),
                jws.isValidMAC(macKey: macKey)
            else {
                throw ScriptedACMEServer.ServerFailure("bad external account binding")
            }
            return .json(201, Pebble.account(), headers: [("Location", Pebble.accountURL)])
        }
        let account = try client.registerAccount()
        #expect(account.isNew)
        #expect(account.url == Pebble.accountURL)
        #expect(server.failures == [])
    }

    @Test func existingAccountAndLookup() throws {
        let server = ScriptedACMEServer()
        let client = try Pebble.makeClient(server: server, clock: TestClock())
        server.expect(.get, Pebble.directoryURL) { _ in .json(200, Pebble.directory()) }
        server.expect(.head, Pebble.newNonceURL) { _ in ACMEHTTPResponse(status: 200) }
        server.expect(.post, Pebble.newAccountURL) { received in
            guard try received.json()["onlyReturnExisting"] as? Bool == true else {
                throw ScriptedACMEServer.ServerFailure("lookup without onlyReturnExisting")
            }
            return .problem(
                400,
                type: "accountDoesNotExist",
                detail: "unable to find existing account for only-return-existing request"
            )
        }
        #expect(try client.lookupAccount() == nil)
        server.expect(.post, Pebble.newAccountURL) { _ in
            .json(200, Pebble.account(), headers: [("Location", Pebble.accountURL)])
        }
        let account = try client.registerAccount()
        #expect(!account.isNew)
        #expect(account.contact == ["mailto:hostmaster@example.com"])
        #expect(server.failures == [])
    }

    @Test func compoundProblemKeepsSubproblems() throws {
        let body = """
            {"type":"urn:ietf:params:acme:error:compound","detail":"Errors during validation","status":403,
             "subproblems":[{"type":"urn:ietf:params:acme:error:caa","detail":"CAA forbids issuance",
             "identifier":{"type":"dns","value":"mta-sts.example.com"}}]}
            """
        let problem = try ACMEJSON.decode(ACMEProblem.self, from: Array(body.utf8), what: "problem")
        #expect(problem.type == .compound)
        #expect(problem.subproblems?.first?.type == .caa)
        #expect(problem.subproblems?.first?.identifier == .dns("mta-sts.example.com"))
        #expect(
            problem.description == "compound: Errors during validation [mta-sts.example.com: caa: CAA forbids issuance]"
        )
    }

    @Test func errorStatusWithoutProblemDocumentAndTransportFailure() throws {
        let server = ScriptedACMEServer()
        let client = try Pebble.makeClient(server: server, clock: TestClock())
        server.expect(.get, Pebble.directoryURL) { _ in
            ACMEHTTPResponse(status: 502, body: Array("<html>bad gateway</html>".utf8))
        }
        let error = try #require(throws: ACMEError.self) { try client.directory() }
        #expect(error.code == .invalidResponse)
        #expect(error.status == 502)
        // No step left: the scripted transport throws, which the client reports as a transport failure.
        let transport = try #require(throws: ACMEError.self) { try client.directory() }
        #expect(transport.code == .transport)
        #expect(transport.underlying != nil)
    }

    @Test func pollingGivesUpAtTheDeadline() throws {
        let server = ScriptedACMEServer()
        let clock = TestClock()
        let policy = ACMEPollingPolicy(initialDelay: 1, maximumDelay: 4, maximumRetryAfter: 60, timeout: 10)
        let client = try Pebble.makeClient(server: server, clock: clock, polling: policy)
        Pebble.scriptAccount(on: server)
        server.expect(.post, Pebble.newOrderURL) { _ in
            .json(201, Pebble.order(status: "processing"), headers: [("Location", Pebble.orderURL)])
        }
        for _ in 0..<3 {
            server.expect(.post, Pebble.orderURL) { _ in .json(200, Pebble.order(status: "processing")) }
        }
        let error = try #require(throws: ACMEError.self) {
            try client.issueCertificate(for: [Pebble.domain], publisher: RecordingPublisher())
        }
        #expect(error.code == .timedOut)
        // 1 + 2 + 4 = 7 s slept; the next 4 s would pass the 10 s deadline.
        #expect(clock.sleeps == [1, 2, 4])
        #expect(server.remainingSteps == 0)
    }
}
