import Crypto
import Foundation
import Testing

@testable import ACME

/// ARI through the client (RFC 9773): the unauthenticated renewalInfo GET and `replaces` in newOrder.
@Suite struct ACMEClientRenewalTests {
    static func predecessor() throws -> (X509Certificate, ARICertID) {
        let now: Int64 = 1_764_000_000
        let ca = try CertificateBuilder.makeAuthority(commonName: "ARI CA", now: now)
        let leaf = try CertificateBuilder.makeLeaf(
            dnsNames: [Pebble.domain],
            issuer: ca,
            now: now,
            serialNumber: [0x87, 0x65, 0x43, 0x21]
        )
        let certID = try #require(leaf.certificate.ariCertID)
        return (leaf.certificate, certID)
    }

    @Test func renewalInfoIsAPlainGETAndReplacesIsSent() throws {
        let server = ScriptedACMEServer()
        let clock = TestClock()
        let client = try Pebble.makeClient(server: server, clock: clock)
        let (_, certID) = try Self.predecessor()
        let ariURL = Pebble.base + "/draft-ietf-acme-ari-03/renewalInfo/" + certID.description
        #expect(certID.description.hasSuffix(".AIdlQyE"))

        server.expect(.get, Pebble.directoryURL) { _ in .json(200, Pebble.directory(renewalInfo: true)) }
        server.expect(.get, ariURL) { received in
            guard received.request.body.isEmpty else { throw ScriptedACMEServer.ServerFailure("ARI GET has a body") }
            return .json(
                200,
                #"{"suggestedWindow":{"start":"2025-12-20T00:00:00Z","end":"2025-12-21T00:00:00Z"}}"#,
                headers: [("Retry-After", "30")]
            )
        }
        let info = try #require(try client.renewalInfo(for: certID))
        #expect(info.window.start == Date(timeIntervalSince1970: 1_766_188_800))
        #expect(info.nextCheck == clock.now().addingTimeInterval(60))

        server.expect(.head, Pebble.newNonceURL) { _ in ACMEHTTPResponse(status: 200) }
        server.expect(.post, Pebble.newAccountURL) { _ in
            .json(201, Pebble.account(), headers: [("Location", Pebble.accountURL)])
        }
        server.expect(.post, Pebble.newOrderURL) { received in
            guard try received.json()["replaces"] as? String == certID.description else {
                throw ScriptedACMEServer.ServerFailure("newOrder lacks replaces")
            }
            return .json(201, Pebble.order(status: "pending"), headers: [("Location", Pebble.orderURL)])
        }
        _ = try client.newOrder(for: [Pebble.domain], replaces: certID)
        #expect(server.failures == [])
        #expect(server.remainingSteps == 0)
    }

    @Test func withoutRenewalInfoNoARIAndNoReplaces() throws {
        let server = ScriptedACMEServer()
        let client = try Pebble.makeClient(server: server, clock: TestClock())
        let (_, certID) = try Self.predecessor()
        Pebble.scriptAccount(on: server)
        #expect(try client.renewalInfo(for: certID) == nil)
        server.expect(.post, Pebble.newOrderURL) { received in
            guard try received.json()["replaces"] == nil else {
                throw ScriptedACMEServer.ServerFailure("replaces sent to a CA without ARI")
            }
            return .json(201, Pebble.order(status: "pending"), headers: [("Location", Pebble.orderURL)])
        }
        _ = try client.newOrder(for: [Pebble.domain], replaces: certID)
        #expect(server.failures == [])
        #expect(server.remainingSteps == 0)
    }
}
