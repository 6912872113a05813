import Crypto
import DNS
import Database
import Foundation
import Store
import TestSupport
import Testing

/// The master key that sealed the stored secrets is lost and the platform restarts with a new one: the worker
/// must re-issue every certificate and re-register the ACME account instead of failing silently.
@Suite(.serialized) struct MasterKeyLossTests {
    @Test func aLostMasterKeyIsRecoveredByReissuingAndReRegistering() throws {
        // The workers and the edge hold a fresh key; everything below is sealed with another, now lost, one.
        let environment = try LifecycleEnvironment()
        defer { environment.stop() }
        let domain = try Self.sealWithALostKey("lost.tenant.test", in: environment)
        // Its certificate is months from renewal, and the edge cannot decrypt its key.
        #expect((try? environment.fetchPolicy("lost.tenant.test")) == nil)

        environment.startWorkers()
        var body = ""
        do {
            try Poll.until(deadline: 60, interval: .milliseconds(50), "re-issued certificate served") {
                body = try environment.fetchPolicy("lost.tenant.test")
                return true
            }
        } catch {
            Issue.record("\(environment.diagnosis(domain))")
            throw error
        }
        #expect(body == LifecycleEnvironment.policyText("lost.tenant.test"))
        #expect(try environment.certificateCount(domain) == 2)
        let store = DataStore(pool: environment.pool)
        let account = try #require(try store.acmeAccounts.find(directoryURL: environment.pebble.directoryURL))
        #expect(account.sealedKey.value.keyID == environment.keyring.current.keyID)
        #expect(account.sealedKey.condition(under: environment.keyring) == .current)
        #expect(!account.accountURL.hasSuffix("/account/fixture"))
        let current = try store.secrets.batch(of: .certificateKey, after: nil, limit: 10)
        #expect(current.map { $0.sealed.condition(under: environment.keyring) } == [.current])
    }

    @Test func aRegistrationThatMeetsNonceRacesIsRetriedInSeconds() throws {
        // Pebble refuses every nonce: the account's re-registration fails as a nonce race does, retried once in the
        // client and then by the job, which must come back in seconds (an order's transient backoff), not a minute.
        let environment = try LifecycleEnvironment(nonceRejectPercent: 100)
        defer { environment.stop() }
        let domain = try Self.sealWithALostKey("nonce.tenant.test", in: environment)
        environment.startWorkers()
        let job = try environment.firstFailedJob("the certificate job's first failure recorded") {
            $0.kind == "issue_certificate" && $0.domainID == domain
        }
        #expect(job.lastError?.contains("badNonce") == true, "last_error: \(job.lastError ?? "none")")
        // 2 s · 2^attempts with ±10 % jitter: at most 4.4 s even if a second attempt failed before the read.
        #expect(job.dueIn < 10, "next attempt in \(job.dueIn) s")
    }
    /// A served domain `name` (CNAME to the edge) whose certificate key, like the stored ACME account's key, is
    /// sealed with a master key neither the workers nor the edge have.
    private static func sealWithALostKey(_ name: String, in environment: LifecycleEnvironment) throws -> UUID {
        let before = try ServedDomainFixtures(
            url: environment.url,
            directory: try TemporaryDirectory(prefix: "lost-key"),
            keyring: try Keyring(current: try MasterKey.generate())
        )
        let domain = try before.addDomain(name, policyText: LifecycleEnvironment.policyText(name))
        try before.addACMEAccount(directoryURL: environment.pebble.directoryURL)
        try environment.dns.set(
            zone: "tenant.test",
            owner: "mta-sts.\(name)",
            type: .cname,
            value: "edge.platform.test."
        )
        return domain
    }
}
