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
        let lostKeyring = try Keyring(current: try MasterKey.generate())
        let before = try ServedDomainFixtures(
            url: environment.url,
            directory: try TemporaryDirectory(prefix: "lost-key"),
            keyring: lostKeyring
        )
        let domain = try before.addDomain(
            "lost.tenant.test",
            policyText: LifecycleEnvironment.policyText("lost.tenant.test")
        )
        try before.addACMEAccount(directoryURL: environment.pebble.directoryURL)
        try environment.dns.set(
            zone: "tenant.test",
            owner: "mta-sts.lost.tenant.test",
            type: .cname,
            value: "edge.platform.test."
        )
        // Its certificate is months from renewal, and the edge cannot decrypt its key.
        #expect((try? environment.fetchPolicy("lost.tenant.test")) == nil)

        environment.startWorkers()
        var body = ""
        try Poll.until(deadline: 60, interval: .milliseconds(50), "re-issued certificate served") {
            body = try environment.fetchPolicy("lost.tenant.test")
            return true
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
}
