import Crypto
import Database
import Foundation
import Logging
import PolicyEdge
import SystemIO
import TLS
import TestSupport

/// Writes what the API and worker would write, with plain SQL, and signals the edge the same way.
/// `@unchecked Sendable`: the connection is used by one test thread at a time.
struct EdgeFixtures: @unchecked Sendable {
    let connection: PostgresConnection
    let keyring: Keyring
    let authority: CertificateBuilder.Issued
    let caFile: String

    init(connection: PostgresConnection, keyring: Keyring, authority: CertificateBuilder.Issued, caFile: String) {
        self.connection = connection
        self.keyring = keyring
        self.authority = authority
        self.caFile = caFile
    }

    init(url: String) throws {
        connection = try PostgresConnection(connectionString: url)
        keyring = try Keyring(current: try MasterKey.generate())
        let now = Int64(Date().timeIntervalSince1970)
        authority = try CertificateBuilder.makeAuthority(commonName: "Edge Test CA", now: now)
        caFile = FileManager.default.temporaryDirectory.appendingPathComponent("edge-ca-\(UUID().uuidString).pem").path
        try authority.certificate.pemRepresentation.write(toFile: caFile, atomically: true, encoding: .utf8)
    }

    /// A verified domain with a policy and a certificate; returns the domain id.
    @discardableResult
    func addDomain(_ name: String, policyText: String? = nil, certificate: Bool = true) throws -> UUID {
        let account = try connection.query(
            "INSERT INTO accounts (email, password_hash) VALUES (\("owner@" + name), \(String(repeating: "x", count: 40))) RETURNING id"
        ).first?.decode(UUID.self, at: 0)
        let domain = try connection.query(
            """
            INSERT INTO domains (account_id, name, status, verification_token, verified_at)
            VALUES (\(account), \(name), 'verified', 'token_0123456789abcdef', now()) RETURNING id
            """
        ).first?.decode(UUID.self, at: 0)
        guard let domain else { throw TestSupportError("no domain id") }
        try setPolicy(domain: domain, name: name, text: policyText ?? Self.policy(mx: "mx.\(name)"))
        if certificate { try addCertificate(domain: domain, host: "mta-sts.\(name)") }
        return domain
    }

    static func policy(mode: String = "enforce", mx: String) -> String {
        "version: STSv1\r\nmode: \(mode)\r\nmx: \(mx)\r\nmax_age: 86400\r\n"
    }

    /// Replaces the current policy and signals the change, in one transaction (as the API does).
    func setPolicy(domain: UUID, name: String, text: String) throws {
        let id = "p" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20)
        try connection.withTransaction { connection in
            try connection.execute("UPDATE policies SET superseded_at = now() WHERE domain_id = \(domain) AND superseded_at IS NULL")
            try connection.execute(
                """
                INSERT INTO policies (domain_id, policy_id, mode, mx, max_age, text)
                VALUES (\(domain), \(String(id)), 'enforce', \(PostgresTextArray(["mx.example"])), 86400, \(text))
                """)
            try signal(connection, host: "mta-sts.\(name)", kind: "policy")
        }
    }

    func addCertificate(domain: UUID, host: String) throws {
        let now = Int64(Date().timeIntervalSince1970)
        let leaf = try CertificateBuilder.makeLeaf(dnsNames: [host], issuer: authority, now: now)
        let sealed = try keyring.encrypt(Array(try leaf.key.pemRepresentation.utf8))
        try connection.withTransaction { connection in
            try connection.execute(
                """
                INSERT INTO certificates (domain_id, host, chain_pem, key_ciphertext, key_nonce, key_id, not_before, not_after)
                VALUES (\(domain), \(host), \(leaf.certificate.pemRepresentation + authority.certificate.pemRepresentation),
                        \(PostgresBytes(sealed.ciphertext)), \(PostgresBytes(sealed.nonce)), \(sealed.keyID),
                        \(Date(timeIntervalSince1970: Double(now - 3600))), \(Date(timeIntervalSince1970: Double(now + 86400))))
                """)
            try signal(connection, host: host, kind: "certificate")
        }
    }

    func addChallenge(host: String, token: String, keyAuthorization: String) throws {
        try connection.withTransaction { connection in
            try connection.execute(
                """
                INSERT INTO acme_challenges (token, host, key_authorization, expires_at)
                VALUES (\(token), \(host), \(keyAuthorization), now() + interval '1 hour')
                """)
            try signal(connection, host: host, kind: "challenge")
        }
    }

    func signal(_ connection: PostgresConnection, host: String, kind: String) throws {
        let seq = try connection.query("INSERT INTO changes (host, kind) VALUES (\(host), \(kind)) RETURNING seq")
            .first?.decode(Int.self, at: 0) ?? 0
        try connection.notify("mtasts_changes", payload: String(seq))
    }

    func clientContext() throws -> TLSContext {
        try TLSContext.makeClient(configuration: .client(trustRoots: .file(caFile)))
    }
}

/// An edge with its own loops on free loopback ports. Its members are Sendable and immutable.
final class RunningEdge: Sendable {
    let group: EventLoopGroup
    let service: EdgeService

    init(url: String, keyring: Keyring, snapshotFile: String? = nil, reconcile: Duration = .seconds(60)) throws {
        group = try EventLoopGroup(numberOfLoops: 2)
        let loopback = try SocketAddress(parsing: "127.0.0.1:0")
        service = try EdgeService(
            configuration: .init(
                httpsAddress: loopback, httpAddress: loopback, adminAddress: loopback, snapshotFile: snapshotFile,
                accessLog: false, follower: .init(reconcileInterval: reconcile, persistInterval: .zero)),
            source: PostgresSnapshotSource(connectionString: url), keyring: keyring, group: group,
            logger: .init(label: "edge-test", level: .error))
        try service.start()
    }

    func stop() {
        service.stop(gracePeriod: .seconds(1))
        try? group.shutdownGracefully()
    }

    /// GET (or another method) over HTTPS with SNI; returns status line + headers + body as text.
    func fetch(
        host: String, path: String = "/.well-known/mta-sts.txt", method: String = "GET", hostHeader: String? = nil,
        client: TLSContext
    ) throws -> String {
        guard let address = service.httpsAddress else { throw TestSupportError("edge not listening") }
        let socket = try Socket.connect(to: address, timeout: .seconds(5))
        defer { try? socket.close() }
        let tls = try TLSConnection(context: client, fd: socket.fileDescriptor, serverName: host)
        if case .failed(let error) = tls.handshake() { throw error }
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader ?? host)\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { tls.write($0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while case .complete(let count) = buffer.withUnsafeMutableBytes({ tls.read(into: $0) }), count > 0 {
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// GET over plain HTTP.
    func fetchPlain(address: SocketAddress?, host: String, path: String) throws -> String {
        guard let address else { throw TestSupportError("no address") }
        let socket = try Socket.connect(to: address, timeout: .seconds(5))
        defer { try? socket.close() }
        try socket.writeAll(Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8))
        var received: [UInt8] = []
        while case .processed(let bytes)? = try? socket.read(maximumCount: 16_384), !bytes.isEmpty {
            received.append(contentsOf: bytes)
        }
        return String(decoding: received, as: UTF8.self)
    }
}
