package import Crypto
package import Database
package import Foundation
package import MTASTS
import Store
import Synchronization
package import TLS

/// Writes what the API and worker would write (domains, policies, certificates) with plain SQL, and signals
/// the edge through `changes` + NOTIFY in the same transaction, as the platform does.
///
/// `@unchecked Sendable`: the connection is used by one test thread at a time.
package final class ServedDomainFixtures: @unchecked Sendable {
    package let connection: PostgresConnection
    package let keyring: Keyring
    package let authority: CertificateBuilder.Issued
    /// The throwaway CA's certificate, which clients (senders, tests) trust.
    package let caFile: String
    /// Keeps the folder holding `caFile` alive as long as the fixtures.
    private let directory: TemporaryDirectory?
    /// Every id handed out, so two policies made within one second still get distinct ids.
    private let usedIDs = Mutex<Set<PolicyID>>([])

    package init(url: String, directory: TemporaryDirectory) throws {
        connection = try PostgresConnection(connectionString: url)
        keyring = try Keyring(current: try MasterKey.generate())
        authority = try CertificateBuilder.makeAuthority(commonName: "Test CA", now: Self.now)
        caFile = try directory.write(authority.certificate.pemRepresentation, to: "ca.pem")
        self.directory = directory
    }

    private init(
        connection: PostgresConnection,
        keyring: Keyring,
        authority: CertificateBuilder.Issued,
        caFile: String,
        directory: TemporaryDirectory?
    ) {
        self.directory = directory
        self.connection = connection
        self.keyring = keyring
        self.authority = authority
        self.caFile = caFile
    }

    /// The same CA and keys over a new connection (after the database restarted).
    package func reconnected(url: String) throws -> ServedDomainFixtures {
        ServedDomainFixtures(
            connection: try PostgresConnection(connectionString: url),
            keyring: keyring,
            authority: authority,
            caFile: caFile,
            directory: directory
        )
    }

    /// A TLS client context that trusts the test CA.
    package func clientContext() throws -> TLSContext {
        try TLSContext.makeClient(configuration: .client(trustRoots: .file(caFile)))
    }

    /// The text of a one-MX policy, as the platform renders it.
    package static func policy(mode: String = "enforce", mx: String) -> String {
        "version: STSv1\r\nmode: \(mode)\r\nmx: \(mx)\r\nmax_age: 86400\r\n"
    }

    /// A verified domain whose policy has exactly `policyText` (default: enforce with `mx.<name>`).
    @discardableResult
    package func addDomain(_ name: String, policyText: String? = nil, certificate: Bool = true) throws -> UUID {
        let policy = try Policy(parsing: policyText ?? Self.policy(mx: "mx.\(name)"))
        return try addDomain(name, policy: policy, certificate: certificate).domain
    }

    /// Replaces the current policy with the one `text` describes.
    package func setPolicy(domain: UUID, name: String, text: String) throws {
        try setPolicy(domain: domain, name: name, policy: try Policy(parsing: text))
    }

    /// Publishes an http-01 answer for `host` and signals the edge.
    package func addChallenge(host: String, token: String, keyAuthorization: String) throws {
        try connection.withTransaction { connection in
            try connection.execute(
                """
                INSERT INTO acme_challenges (token, host, key_authorization, expires_at)
                VALUES (\(token), \(host), \(keyAuthorization), now() + interval '1 hour')
                """
            )
            try signal(connection, host: host, kind: "challenge")
        }
    }

    private static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// A verified domain with `policy` as its current policy; returns the domain id and the policy id.
    package func addDomain(
        _ name: String,
        policy: Policy,
        certificate: Bool
    ) throws -> (domain: UUID, policyID: PolicyID) {
        let account = try connection.query(
            """
            INSERT INTO accounts (email, password_hash)
            VALUES (\("owner@" + name), \(String(repeating: "x", count: 40))) RETURNING id
            """
        ).first?.decode(UUID.self, at: 0)
        let domain = try connection.query(
            """
            INSERT INTO domains (account_id, name, status, verification_token, verified_at)
            VALUES (\(account), \(name), 'verified', 'token_0123456789abcdef', now()) RETURNING id
            """
        ).first?.decode(UUID.self, at: 0)
        guard let domain else { throw TestSupportError("inserting domain \(name) returned no id") }
        let policyID = try setPolicy(domain: domain, name: name, policy: policy)
        if certificate { try addCertificate(domain: domain, host: "mta-sts.\(name)") }
        return (domain, policyID)
    }

    /// Supersedes the current policy with `policy` under a fresh id and signals the change in one transaction.
    /// - Returns: the new policy id (what the domain's `_mta-sts` TXT must announce).
    @discardableResult
    package func setPolicy(domain: UUID, name: String, policy: Policy) throws -> PolicyID {
        let id = usedIDs.withLock { used in
            let id = PolicyID.generate(at: Date(), avoiding: used)
            used.insert(id)
            return id
        }
        try connection.withTransaction { connection in
            try connection.execute(
                "UPDATE policies SET superseded_at = now() WHERE domain_id = \(domain) AND superseded_at IS NULL"
            )
            try connection.execute(
                """
                INSERT INTO policies (domain_id, policy_id, mode, mx, max_age, text)
                VALUES (\(domain), \(id.string), \(policy.mode.rawValue),
                        \(PostgresTextArray(policy.mx.map(\.description))), \(policy.maxAge), \(policy.text))
                """
            )
            try signal(connection, host: "mta-sts.\(name)", kind: "policy")
        }
        return id
    }

    /// Stores a leaf certificate for `host` signed by the test CA, its key sealed with the keyring.
    package func addCertificate(domain: UUID, host: String) throws {
        let now = Self.now
        let leaf = try CertificateBuilder.makeLeaf(dnsNames: [host], issuer: authority, now: now)
        let sealed = try keyring.encrypt(Array(try leaf.key.pemRepresentation.utf8))
        let chain = leaf.certificate.pemRepresentation + authority.certificate.pemRepresentation
        try connection.withTransaction { connection in
            try connection.execute(
                """
                INSERT INTO certificates (domain_id, host, chain_pem, key_ciphertext, key_nonce, key_id,
                                          not_before, not_after)
                VALUES (\(domain), \(host), \(chain), \(PostgresBytes(sealed.ciphertext)),
                        \(PostgresBytes(sealed.nonce)), \(sealed.keyID),
                        \(Date(timeIntervalSince1970: Double(now - 3600))),
                        \(Date(timeIntervalSince1970: Double(now + 86400))))
                """
            )
            try signal(connection, host: host, kind: "certificate")
        }
    }

    private func signal(_ connection: PostgresConnection, host: String, kind: String) throws {
        try ChangeLogRepository.append(on: connection, host: host, kind: kind)
    }
}
