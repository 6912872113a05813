import Crypto
import Foundation
import Testing

@testable import ACME

/// The whole issuance against a scripted, Pebble-shaped exchange.
@Suite struct ACMEClientHappyPathTests {
    @Test func issuesCertificateThroughTheWholeFlow() throws {
        let server = ScriptedACMEServer()
        let clock = TestClock()
        let publisher = RecordingPublisher()
        let ca = try TestCA()
        let client = try Pebble.makeClient(server: server, clock: clock)
        let thumbprint = client.accountKey.jwkThumbprint

        Pebble.scriptAccount(on: server)
        server.expect(.post, Pebble.newOrderURL) { received in
            let payload = try received.json()
            let identifiers = payload["identifiers"] as? [[String: String]]
            guard identifiers == [["type": "dns", "value": Pebble.domain]], payload["replaces"] == nil else {
                throw ScriptedACMEServer.ServerFailure("bad newOrder payload \(payload)")
            }
            return .json(201, Pebble.order(status: "pending"), headers: [("Location", Pebble.orderURL)])
        }
        server.expect(.post, Pebble.authorizationURL) { _ in
            .json(200, Pebble.authorization(status: "pending", challengeStatus: "pending"))
        }
        server.expect(.post, Pebble.challengeURL) { received in
            // The key authorization must be served before the CA is told to validate (RFC 8555 §7.5.1).
            guard publisher.served(host: Pebble.domain, token: Pebble.token) == Pebble.token + "." + thumbprint,
                received.payload == Array("{}".utf8)
            else {
                throw ScriptedACMEServer.ServerFailure("challenge notified before publication or with a bad payload")
            }
            return .json(200, Pebble.challenge(status: "processing"))
        }
        server.expect(.post, Pebble.authorizationURL) { _ in
            .json(200, Pebble.authorization(status: "pending", challengeStatus: "processing"))
        }
        server.expect(.post, Pebble.authorizationURL) { _ in
            .json(
                200,
                Pebble.authorization(status: "pending", challengeStatus: "processing"),
                headers: [("Retry-After", "2")]
            )
        }
        server.expect(.post, Pebble.authorizationURL) { _ in
            .json(200, Pebble.authorization(status: "valid", challengeStatus: "valid"))
        }
        server.expect(.post, Pebble.orderURL) { _ in .json(200, Pebble.order(status: "ready")) }
        server.expect(.post, Pebble.finalizeURL) { received in
            let payload = try received.json()
            guard let text = payload["csr"] as? String, !text.contains("="), let csr = Base64URL.decode(text),
                TestCA.csr(csr, contains: Pebble.domain)
            else {
                throw ScriptedACMEServer.ServerFailure("finalize payload is not a base64url DER CSR for the domain")
            }
            let key = try TestCA.publicKey(inCSR: csr)
            guard key.x != client.accountKey.publicKey.x else {
                throw ScriptedACMEServer.ServerFailure("CSR carries the account key")
            }
            server.stash(try ca.issue(csr: csr, names: [Pebble.domain]))
            return .json(200, Pebble.order(status: "processing"))
        }
        server.expect(.post, Pebble.orderURL) { _ in
            .json(200, Pebble.order(status: "processing"), headers: [("Retry-After", "3")])
        }
        server.expect(.post, Pebble.orderURL) { _ in .json(200, Pebble.order(status: "valid", certificate: true)) }
        server.expect(.post, Pebble.certificateURL) { received in
            guard received.request.headers["accept"] == "application/pem-certificate-chain", received.payload == []
            else {
                throw ScriptedACMEServer.ServerFailure("certificate download is not POST-as-GET with the PEM Accept")
            }
            var response = ACMEHTTPResponse(status: 200, body: Array(server.stashed.utf8))
            response.headers.append("Content-Type", "application/pem-certificate-chain; charset=utf-8")
            return response
        }

        let issued = try client.issueCertificate(for: [Pebble.domain], publisher: publisher)

        #expect(server.failures == [])
        #expect(server.remainingSteps == 0)
        #expect(issued.orderURL == Pebble.orderURL)
        let chain = try X509Certificate.chain(fromPEM: issued.certificateChainPEM)
        #expect(chain.count == 2)
        #expect(chain[0].dnsNames == [Pebble.domain])
        #expect(chain[0].matchesPrivateKey(issued.privateKey))
        #expect(!chain[0].matchesPrivateKey(client.accountKey))
        // Backoff 0.1 s, 0.2 s, then Retry-After 2 s; order re-fetched at once; processing: backoff, Retry-After 3 s.
        #expect(clock.sleeps == [0.1, 0.2, 2, 0, 0.1, 3])
        #expect(
            publisher.log == ["publish \(Pebble.domain) \(Pebble.token)", "unpublish \(Pebble.domain) \(Pebble.token)"]
        )
        // One HEAD newNonce: every later request reused the Replay-Nonce of the previous response.
        #expect(server.requests.filter { $0.request.method == .head }.count == 1)
        // newAccount embeds the key; everything after uses the account URL as kid.
        let posts = server.requests.filter { $0.request.method == .post }
        #expect(posts.first?.header.map { if case .jwk = $0.key { true } else { false } } == true)
        #expect(posts.dropFirst().allSatisfy { $0.header?.key == .accountURL(Pebble.accountURL) })
        let account = try posts[0].json()
        #expect(account["termsOfServiceAgreed"] as? Bool == true)
        #expect(account["contact"] as? [String] == ["mailto:hostmaster@example.com"])
        #expect(client.knownAccountURL == Pebble.accountURL)
    }

    @Test func reusedValidAuthorizationSkipsTheChallenge() throws {
        let server = ScriptedACMEServer()
        let clock = TestClock()
        let publisher = RecordingPublisher()
        let ca = try TestCA()
        let client = try Pebble.makeClient(server: server, clock: clock)

        Pebble.scriptAccount(on: server)
        server.expect(.post, Pebble.newOrderURL) { _ in
            .json(201, Pebble.order(status: "ready"), headers: [("Location", Pebble.orderURL)])
        }
        server.expect(.post, Pebble.finalizeURL) { received in
            let csr = try #require(Base64URL.decode(try received.json()["csr"] as? String ?? ""))
            server.stash(try ca.issue(csr: csr, names: [Pebble.domain]))
            return .json(200, Pebble.order(status: "valid", certificate: true))
        }
        server.expect(.post, Pebble.certificateURL) { _ in
            ACMEHTTPResponse(status: 200, body: Array(server.stashed.utf8))
        }

        let issued = try client.issueCertificate(for: [Pebble.domain], publisher: publisher)
        #expect(server.failures == [])
        #expect(try X509Certificate.chain(fromPEM: issued.certificateChainPEM)[0].matchesPrivateKey(issued.privateKey))
        #expect(publisher.log == [])
        #expect(clock.sleeps == [])
    }

    @Test func resumesAnOrderFromItsURL() throws {
        let server = ScriptedACMEServer()
        let clock = TestClock()
        let ca = try TestCA()
        let accountKey = try P256PrivateKey.generate()
        let certificateKey = try P256PrivateKey.generate()
        server.registerAccount(url: Pebble.accountURL, jwk: JSONWebKey(publicKey: accountKey.publicKey))
        let chain = try ca.issue(
            csr: try CertificateSigningRequest.make(dnsNames: [Pebble.domain], key: certificateKey),
            names: [Pebble.domain]
        )
        let client = ACMEClient(
            configuration: ACMEClientConfiguration(directoryURL: Pebble.directoryURL),
            accountKey: accountKey,
            accountURL: Pebble.accountURL,
            transport: server,
            clock: clock
        )

        server.expect(.get, Pebble.directoryURL) { _ in .json(200, Pebble.directory()) }
        server.expect(.head, Pebble.newNonceURL) { _ in ACMEHTTPResponse(status: 200) }
        server.expect(.post, Pebble.orderURL) { _ in .json(200, Pebble.order(status: "processing")) }
        server.expect(.post, Pebble.orderURL) { _ in .json(200, Pebble.order(status: "valid", certificate: true)) }
        server.expect(.post, Pebble.certificateURL) { _ in ACMEHTTPResponse(status: 200, body: Array(chain.utf8)) }

        let issued = try client.completeOrder(
            at: Pebble.orderURL,
            certificateKey: certificateKey,
            publisher: RecordingPublisher()
        )
        #expect(server.failures == [])
        #expect(issued.certificateChainPEM == chain)
        #expect(clock.sleeps == [0.1])
        #expect(throws: ACMEError(.invalidConfiguration, "")) {
            try client.completeOrder(at: Pebble.orderURL, certificateKey: accountKey, publisher: RecordingPublisher())
        }
    }
}
