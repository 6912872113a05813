import Crypto
import Foundation
import HTTPCore
import Store
import SystemIO
import TLS
import TestSupport
import Testing
import WebClient

/// `mtasts admin doctor` and `mtasts admin rotate-key` against secrets stored as the roles store them, and an
/// edge that has only the new key afterwards.
@Suite struct MasterKeyRotationTests {
    private static let directoryURL = "https://acme.example/directory"

    @Test func aRotatedMasterKeyReEncryptsEverySecretAndTheEdgeStillServesEveryHost() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let directory = try TemporaryDirectory(prefix: "rotate-key")
        let oldKeyFile = directory.path + "/old.key"
        let newKeyFile = directory.path + "/new.key"
        let oldKey = try MasterKey.generate(toFile: oldKeyFile)
        let newKey = try MasterKey.generate(toFile: newKeyFile)
        let fixtures = try ServedDomainFixtures(
            url: url,
            directory: directory,
            keyring: try Keyring(current: oldKey)
        )
        let hosts = ["alpha.test", "beta.test", "gamma.test"]
        var domains: [UUID] = []
        for name in hosts { domains.append(try fixtures.addDomain(name)) }
        // alpha's certificate was renewed once: its first key is retired, and rotated all the same.
        try fixtures.addCertificate(domain: domains[0], host: "mta-sts.alpha.test")
        try fixtures.addACMEAccount(directoryURL: Self.directoryURL)
        let tenant = try fixtures.store.accounts.create(
            email: "hooks@alpha.test",
            passwordHash: String(repeating: "h", count: 40),
            at: Date()
        )
        let webhook = try fixtures.store.webhooks.create(
            accountID: tenant.id,
            url: "https://hooks.alpha.test/mtasts",
            description: nil,
            secret: "whsec_rotation",
            keyring: try Keyring(current: oldKey),
            limit: 10,
            at: Date()
        )
        let webhookID = webhook.id.uuidString.lowercased()
        let database = ["MTASTS_DATABASE_URL": url, "MTASTS_MIGRATIONS_DIR": RepositoryPaths.migrations.path]
        let newOnly = database.merging(["MTASTS_SECRET_KEY_FILE": newKeyFile]) { _, new in new }
        let rotating = newOnly.merging(["MTASTS_PREVIOUS_SECRET_KEY_FILES": oldKeyFile]) { _, new in new }

        // With only the new key nothing is readable, and the doctor says what to do about each secret.
        let (lostStatus, lostReport) = try MTASTSBinary.run(["admin", "doctor"], environment: newOnly)
        #expect(lostStatus == 1)
        #expect(
            lostReport.contains(
                "certificate keys: 0 readable with the current key, 0 only with a previous key, 3 unreadable"
            )
        )
        for name in hosts {
            #expect(lostReport.contains("problem: certificate key of mta-sts.\(name) "))
        }
        #expect(lostReport.contains("problem: ACME account key for \(Self.directoryURL) (master key \(oldKey.keyID))"))
        #expect(lostReport.contains("MTASTS_PREVIOUS_SECRET_KEY_FILES"))
        #expect(
            lostReport.contains(
                "webhook secrets: 0 readable with the current key, 0 only with a previous key, 1 unreadable"
            )
        )
        #expect(lostReport.contains("problem: webhook secret of webhook \(webhookID) (master key \(oldKey.keyID))"))

        let (pendingStatus, pendingReport) = try MTASTSBinary.run(["admin", "doctor"], environment: rotating)
        #expect(pendingStatus == 1)
        #expect(pendingReport.contains("certificate keys: 0 readable with the current key, 3 only with a previous key"))

        let (status, output) = try MTASTSBinary.run(
            ["admin", "rotate-key", "--batch-size", "2"],
            environment: rotating
        )
        #expect(status == 0, "\(output)")
        #expect(output.contains("master keys: current \(newKey.keyID), previous \(oldKey.keyID)"))
        #expect(output.contains("certificate keys: 3 re-encrypted, 0 already current"))
        #expect(output.contains("retired certificate keys: 1 re-encrypted"))
        #expect(output.contains("ACME account keys: 1 re-encrypted"))
        #expect(output.contains("webhook secrets: 1 re-encrypted"))
        let (againStatus, again) = try MTASTSBinary.run(["admin", "rotate-key"], environment: rotating)
        #expect(againStatus == 0)
        #expect(again.contains("certificate keys: 0 re-encrypted, 3 already current"))

        let (doctorStatus, doctor) = try MTASTSBinary.run(["admin", "doctor"], environment: newOnly)
        #expect(doctorStatus == 0, "\(doctor)")
        #expect(
            doctor.contains(
                "certificate keys: 3 readable with the current key, 0 only with a previous key, 0 unreadable"
            )
        )
        #expect(doctor.contains("webhook secrets: 1 readable with the current key, 0 only with a previous key"))
        #expect(doctor.contains("ok       keys: every secret in use is readable with the current key \(newKey.keyID)"))

        // An edge given only the new key serves every host over TLS.
        let https = try FreePort.allocate(udp: false, tcp: true)
        let edge = try MTASTSBinary.launch(
            ["edge", "--no-migrate"],
            environment: newOnly.merging([
                "MTASTS_EDGE_HTTPS_LISTEN": "127.0.0.1:\(https)",
                "MTASTS_EDGE_HTTP_LISTEN": "127.0.0.1:\(try FreePort.allocate(udp: false, tcp: true))",
                "MTASTS_EDGE_ADMIN_LISTEN": "127.0.0.1:\(try FreePort.allocate(udp: false, tcp: true))",
                "MTASTS_DATA_DIR": directory.path,
                "MTASTS_EDGE_SNAPSHOT_FILE": directory.path + "/edge-snapshot.bin",
                "MTASTS_EDGE_ACCESS_LOG": "off",
            ]) { _, new in new },
            directory: directory
        )
        defer { _ = edge.terminate() }
        var configuration = HTTPClientConfiguration(trustRoots: .file(fixtures.caFile))
        let loopback = try SocketAddress(ipAddress: "127.0.0.1", port: 0)
        configuration.resolver = HostResolver { _ in [loopback] }
        let client = try HTTPClient(configuration: configuration)
        for name in hosts {
            var body = ""
            try Poll.until(deadline: 20, "mta-sts.\(name) served over TLS") {
                let response = try client.send(
                    try ClientRequest(url: "https://mta-sts.\(name):\(https)/.well-known/mta-sts.txt")
                )
                body = String(decoding: response.body, as: UTF8.self)
                return response.status == .ok
            }
            #expect(body == ServedDomainFixtures.policy(mx: "mx.\(name)"))
        }
        #expect(edge.isRunning, "\(edge.logTail())")
    }

    @Test func theSecretTasksNeverCreateAMasterKey() throws {
        let directory = try TemporaryDirectory(prefix: "no-key")
        // The doctor reports the missing key as a failed check (exit 1); rotate-key refuses to start (78).
        for (task, expected) in [("doctor", Int32(1)), ("rotate-key", 78)] {
            let (status, output) = try MTASTSBinary.run(
                ["admin", task],
                environment: ["MTASTS_DATA_DIR": directory.path, "MTASTS_DATABASE_URL": "host=/nonexistent"]
            )
            #expect(status == expected)
            #expect(output.contains("MTASTS_SECRET_KEY_FILE"))
            #expect(!FileManager.default.fileExists(atPath: directory.path + "/secret.key"))
        }
    }
}
