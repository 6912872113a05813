package import Crypto
import Database
package import Foundation
package import MTASTS
package import Store
package import TLS

/// Writes what the API and worker would write (accounts, verified domains, policies, certificates, http-01
/// answers) through the same `Store` repositories they use, so every test exercises the platform's one writer
/// of each table and its change-log signalling.
package final class ServedDomainFixtures: Sendable {
    package let store: DataStore
    package let keyring: Keyring
    package let authority: CertificateBuilder.Issued
    /// The throwaway CA's certificate, which clients (senders, tests) trust.
    package let caFile: String
    /// Keeps the folder holding `caFile` alive as long as the fixtures.
    private let directory: TemporaryDirectory?

    /// - Parameter keyring: seals the private keys the fixtures store; a fresh master key when nil.
    package init(url: String, directory: TemporaryDirectory, keyring: Keyring? = nil) throws {
        store = DataStore(connectionString: url, maxConnections: 2)
        self.keyring = try keyring ?? Keyring(current: try MasterKey.generate())
        authority = try CertificateBuilder.makeAuthority(commonName: "Test CA", now: Self.now)
        caFile = try directory.write(authority.certificate.pemRepresentation, to: "ca.pem")
        self.directory = directory
    }

    private init(
        store: DataStore,
        keyring: Keyring,
        authority: CertificateBuilder.Issued,
        caFile: String,
        directory: TemporaryDirectory?
    ) {
        self.directory = directory
        self.store = store
        self.keyring = keyring
        self.authority = authority
        self.caFile = caFile
    }

    /// The same CA and keys over a new pool (after the database restarted).
    package func reconnected(url: String) throws -> ServedDomainFixtures {
        ServedDomainFixtures(
            store: DataStore(connectionString: url, maxConnections: 2),
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

    /// Publishes an http-01 answer for `host`, as the worker's challenge publisher does.
    package func addChallenge(host: String, token: String, keyAuthorization: String) throws {
        try store.challenges.publish(token: token, host: host, keyAuthorization: keyAuthorization)
    }

    private static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// A domain verified by a new account, whose first policy is `policy`, as sign-up and verification
    /// through the API leave it; returns the domain id and the policy id.
    package func addDomain(
        _ name: String,
        policy: Policy,
        certificate: Bool
    ) throws -> (domain: UUID, policyID: PolicyID) {
        let domainName = try DomainName(parsing: name)
        let account = try store.accounts.create(
            email: "owner@" + domainName.name,
            passwordHash: String(repeating: "x", count: 40),
            at: Date()
        )
        let claimed = try store.domains.create(
            accountID: account.id,
            name: domainName,
            verificationToken: "token_0123456789abcdef",
            defaultLimit: 1,
            at: Date()
        )
        let verified = try store.domains.markVerified(domainID: claimed.id, initialPolicy: policy, at: Date())
        guard let published = verified.policy else { throw TestSupportError("\(name) was verified without a policy") }
        if certificate { try addCertificate(domain: claimed.id, host: domainName.policyHost) }
        return (claimed.id, try PolicyID(published.policyID))
    }

    /// Publishes `policy` as the domain's current policy under a fresh id, as the API does.
    /// - Returns: the new policy id (what the domain's `_mta-sts` TXT must announce).
    @discardableResult
    package func setPolicy(domain: UUID, name: String, policy: Policy) throws -> PolicyID {
        let published = try store.policies.publish(domainID: domain, policy: policy, at: Date())
        return try PolicyID(published.policy.policyID)
    }

    /// Stores a leaf certificate for `host` signed by the test CA, its key sealed with the keyring, as the
    /// worker does after an ACME order.
    package func addCertificate(domain: UUID, host: String) throws {
        let now = Self.now
        let leaf = try CertificateBuilder.makeLeaf(dnsNames: [host], issuer: authority, now: now)
        try store.certificates.store(
            domainID: domain,
            host: host,
            chainPEM: leaf.certificate.pemRepresentation + authority.certificate.pemRepresentation,
            leaf: leaf.certificate,
            privateKeyPEM: try leaf.key.pemRepresentation,
            keyring: keyring,
            renewAfter: Date(timeIntervalSince1970: Double(now + 43_200))
        )
    }

    /// Stores an ACME account for `directoryURL` with a fresh key sealed with the keyring, as the worker does
    /// after registering (the account URL is made up: nothing here talks to a CA).
    package func addACMEAccount(directoryURL: String) throws {
        let key = try P256PrivateKey.generate()
        try store.acmeAccounts.insertIfAbsent(
            ACMEAccountRecord(
                directoryURL: directoryURL,
                sealedKey: try SealedSecret.seal(
                    Array(try key.pemRepresentation.utf8),
                    for: .acmeAccountKey(directoryURL: directoryURL),
                    with: keyring
                ),
                accountURL: directoryURL + "/account/fixture"
            )
        )
    }
}
