import Crypto
import Foundation
import HTTPCore
import TestSupport
import Testing
import WebClient

/// Pebble started the way later ACME tests start it, checked through the client.
@Suite struct PebbleTestEnvironmentTests {
    @Test func directoryNonceAndRoot() throws {
        let pebble = try PebbleTestEnvironment.start(httpPort: try FreePort.allocate(udp: false, tcp: true))
        defer { pebble.stop() }
        let client = try pebble.makeHTTPClient()

        let response = try client.send(try ClientRequest(url: pebble.directoryURL))
        #expect(response.status == .ok)
        let object = try JSONSerialization.jsonObject(with: Data(response.body))
        let directory = try #require(object as? [String: Any])
        for key in ["newNonce", "newAccount", "newOrder"] {
            #expect((directory[key] as? String)?.hasPrefix("https://127.0.0.1:") == true, "\(key)")
        }

        let newNonce = try #require(directory["newNonce"] as? String)
        let nonce = try client.send(try ClientRequest(method: .head, url: newNonce))
        #expect(nonce.status == .ok)
        let replayNonceName = try #require(HTTPField.Name("Replay-Nonce"))
        let replayNonce = try #require(nonce.headers[replayNonceName])
        #expect(!replayNonce.isEmpty)
        #expect(nonce.body.isEmpty)

        let root = try X509Certificate(pem: try pebble.rootCertificatePEM())
        #expect(root.subjectDescription.contains("Pebble Root CA"))
        #expect(root.notAfterSeconds > Int64(Date().timeIntervalSince1970))
    }

    @Test func startsWithTheDNSTestEnvironmentAsResolver() throws {
        let dns = try DNSTestEnvironment.start(zones: ["example.test"])
        defer { dns.stop() }
        let pebble = try PebbleTestEnvironment.start(
            httpPort: try FreePort.allocate(udp: false, tcp: true),
            nonceRejectPercent: 0,
            dnsResolver: dns.resolverAddress
        )
        defer { pebble.stop() }
        #expect(pebble.dnsResolver == dns.resolverAddress)
        let response = try pebble.makeHTTPClient().send(try ClientRequest(url: pebble.directoryURL))
        #expect(response.status == .ok)
        #expect(pebble.isRunning)
    }
}
