import Crypto
import Database
import Foundation
import HTTPCore
import SystemIO
import TLS
import TestSupport
import Testing
import WebClient

/// The backup procedure of docs/operations.md: `pg_dump` a database the platform wrote, `pg_restore` it into a new
/// cluster, and an edge on the restored database with the same master key serves the same policies with the same
/// certificates as an edge on the original.
@Suite struct BackupRestoreTests {
    /// What an edge serves for one host: the policy body and the SHA-256 fingerprint of the certificate.
    private struct Served: Equatable, CustomStringConvertible {
        var policy: String
        var fingerprint: String
        var description: String { "\(fingerprint) \(policy.debugDescription)" }
    }

    @Test func aDumpRestoredIntoANewClusterServesTheSamePoliciesWithTheSameCertificates() throws {
        let directory = try TemporaryDirectory(prefix: "backup")
        let keyFile = directory.path("secret.key")
        let key = try MasterKey.generate(toFile: keyFile)
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try ServedDomainFixtures(url: url, directory: directory, keyring: try Keyring(current: key))
        try fixtures.addDomain("alpha.test")
        let beta = try fixtures.addDomain("beta.test")
        // beta's second policy supersedes the first: the restored edge must serve the current one.
        let betaPolicy = ServedDomainFixtures.policy(mode: "testing", mx: "mx2.beta.test")
        try fixtures.setPolicy(domain: beta, name: "beta.test", text: betaPolicy)
        let hosts = ["mta-sts.alpha.test", "mta-sts.beta.test"]

        let original = try Self.served(hosts, databaseURL: url, keyFile: keyFile, fixtures: fixtures, in: directory)
        #expect(original["mta-sts.alpha.test"]?.policy == ServedDomainFixtures.policy(mx: "mx.alpha.test"))
        #expect(original["mta-sts.beta.test"]?.policy == betaPolicy)

        // The documented commands: pg_dump -Fc, then pg_restore --no-owner into an empty database elsewhere.
        let binaries = try LocalPostgresCluster.binaryDirectory().path
        let dump = directory.path("mtasts.dump")
        let (dumped, dumpOutput) = try Self.run(
            binaries + "/pg_dump",
            ["--format=custom", "--file=\(dump)", "--dbname=\(url)"],
            in: directory
        )
        #expect(dumped == .exited(0), "\(dumpOutput)")
        let newCluster = try PostgresTestCluster.start()
        defer { newCluster.destroy() }
        let restoredURL = try newCluster.cluster.createDatabase(named: "mtasts")
        let (restoredStatus, restoreOutput) = try Self.run(
            binaries + "/pg_restore",
            ["--no-owner", "--exit-on-error", "--dbname=\(restoredURL)", dump],
            in: directory
        )
        #expect(restoredStatus == .exited(0), "\(restoreOutput)")

        let database = ["MTASTS_DATABASE_URL": restoredURL, "MTASTS_MIGRATIONS_DIR": RepositoryPaths.migrations.path]
        let (checkStatus, check) = try MTASTSBinary.run(["migrate", "--check"], environment: database)
        #expect(checkStatus == 0 && check.contains("schema is up to date"), "\(check)")
        let (doctorStatus, doctor) = try MTASTSBinary.run(
            ["admin", "doctor"],
            environment: database.merging(["MTASTS_SECRET_KEY_FILE": keyFile]) { _, new in new }
        )
        #expect(doctorStatus == 0, "\(doctor)")
        #expect(
            doctor.contains(
                "certificate keys: 2 readable with the current key, 0 only with a previous key, 0 unreadable"
            )
        )

        let restored = try Self.served(
            hosts,
            databaseURL: restoredURL,
            keyFile: keyFile,
            fixtures: fixtures,
            in: directory
        )
        #expect(restored == original)
    }

    /// Starts `mtasts edge` on `databaseURL` with its own data folder (no snapshot file from an earlier edge), and
    /// reads what it serves for each host; stops it before returning.
    private static func served(
        _ hosts: [String],
        databaseURL: String,
        keyFile: String,
        fixtures: ServedDomainFixtures,
        in directory: TemporaryDirectory
    ) throws -> [String: Served] {
        let data = directory.path("edge-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
        let https = try FreePort.allocate(udp: false, tcp: true)
        let edge = try MTASTSBinary.launch(
            ["edge", "--no-migrate"],
            environment: [
                "MTASTS_DATABASE_URL": databaseURL,
                "MTASTS_MIGRATIONS_DIR": RepositoryPaths.migrations.path,
                "MTASTS_SECRET_KEY_FILE": keyFile,
                "MTASTS_EDGE_HTTPS_LISTEN": "127.0.0.1:\(https)",
                "MTASTS_EDGE_HTTP_LISTEN": "127.0.0.1:\(try FreePort.allocate(udp: false, tcp: true))",
                "MTASTS_EDGE_ADMIN_LISTEN": "127.0.0.1:\(try FreePort.allocate(udp: false, tcp: true))",
                "MTASTS_DATA_DIR": data,
                "MTASTS_EDGE_SNAPSHOT_FILE": data + "/edge-snapshot.bin",
                "MTASTS_EDGE_ACCESS_LOG": "off",
            ],
            directory: directory
        )
        defer { _ = edge.terminate() }
        var configuration = HTTPClientConfiguration(trustRoots: .file(fixtures.caFile))
        let loopback = try SocketAddress(ipAddress: "127.0.0.1", port: 0)
        configuration.resolver = HostResolver { _ in [loopback] }
        let client = try HTTPClient(configuration: configuration)
        let openssl = try Requirement.executable("openssl", installHint: "apt-get install openssl")
        var served: [String: Served] = [:]
        for host in hosts {
            var body = ""
            try Poll.until(deadline: 20, "\(host) served over TLS (\(edge.logTail()))") {
                let response = try client.send(
                    try ClientRequest(url: "https://\(host):\(https)/.well-known/mta-sts.txt")
                )
                body = String(decoding: response.body, as: UTF8.self)
                return response.status == .ok
            }
            let (status, output) = try run(
                "/bin/bash",
                [
                    "-c",
                    "\(openssl) s_client -connect 127.0.0.1:\(https) -servername \(host) </dev/null 2>/dev/null"
                        + " | \(openssl) x509 -noout -fingerprint -sha256",
                ],
                in: directory
            )
            #expect(status == .exited(0), "\(output)")
            let fingerprint = output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(fingerprint.hasPrefix("sha256 Fingerprint="), "\(fingerprint)")
            served[host] = Served(policy: body, fingerprint: fingerprint)
        }
        #expect(edge.isRunning, "\(edge.logTail())")
        return served
    }

    private static func run(
        _ executable: String,
        _ arguments: [String],
        in directory: TemporaryDirectory
    ) throws -> (ManagedProcess.Termination, String) {
        try ManagedProcess.run(
            name: "\((executable as NSString).lastPathComponent)-\(UUID().uuidString.prefix(8))",
            executable: executable,
            arguments: arguments,
            logDirectory: directory.path,
            timeout: 60
        )
    }
}
