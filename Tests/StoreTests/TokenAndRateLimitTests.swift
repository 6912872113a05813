import Crypto
import Database
import Foundation
import Store
import Synchronization
import TestSupport
import Testing

@Suite struct TokenAndRateLimitTests {
    @Test func tokensAreFoundByDigestUntilTheyExpire() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("t@example.com")
        let digest = Digest.sha256("mts_secret")
        let expires = StoreFixture.start.addingTimeInterval(60)
        let token = try fixture.store.tokens.create(
            accountID: owner.id,
            name: "ci",
            kind: .api,
            sha256: digest,
            at: StoreFixture.start,
            expiresAt: expires
        )
        let found = try #require(try fixture.store.tokens.authenticate(sha256: digest, at: StoreFixture.start))
        #expect(found.token.id == token.id)
        #expect(found.account.email == "t@example.com")
        #expect(
            try fixture.store.tokens.list(accountID: owner.id, kind: .api, at: StoreFixture.start).first?.lastUsedAt
                == StoreFixture.start
        )
        #expect(try fixture.store.tokens.authenticate(sha256: Digest.sha256("other"), at: StoreFixture.start) == nil)
        #expect(try fixture.store.tokens.authenticate(sha256: digest, at: expires) == nil)
        let stranger = try fixture.account("s@example.com")
        #expect(try !fixture.store.tokens.delete(id: token.id, accountID: stranger.id, kind: .api))
        #expect(try fixture.store.tokens.delete(id: token.id, accountID: owner.id, kind: .api))
    }

    @Test func duplicateEmailsDifferingInCaseAreRefused() throws {
        let fixture = try StoreFixture()
        _ = try fixture.account("Case@Example.com")
        #expect(throws: StoreError(.duplicateEmail, "")) { try fixture.account("case@example.COM") }
        #expect(try fixture.store.accounts.find(email: "CASE@example.com")?.email == "Case@Example.com")
    }

    @Test func slidingWindowReportsWhenTheOldestHitLeaves() throws {
        let fixture = try StoreFixture()
        let limits = fixture.store.rateLimits
        let start = StoreFixture.start
        for offset in [0.0, 10, 20] {
            #expect(try limits.hit(bucket: "b", at: start.addingTimeInterval(offset), window: 100, limit: 3) == nil)
        }
        #expect(try limits.hit(bucket: "b", at: start.addingTimeInterval(30), window: 100, limit: 3) == 70)
        #expect(try limits.hit(bucket: "b", at: start.addingTimeInterval(101), window: 100, limit: 3) == nil)
        #expect(try limits.hit(bucket: "other", at: start.addingTimeInterval(30), window: 100, limit: 3) == nil)
    }

    @Test func aBurstOfParallelHitsCannotPassTheLimit() throws {
        let fixture = try StoreFixture()
        let limits = fixture.store.rateLimits
        let admitted = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 24) { _ in
            if (try? limits.hit(bucket: "burst", at: StoreFixture.start, window: 60, limit: 5)) == .some(nil) {
                admitted.withLock { $0 += 1 }
            }
        }
        #expect(admitted.withLock { $0 } == 5)
        #expect(try fixture.count("rate_limit_hits") == 5)
    }

    @Test func progressiveDelaysCountEveryBucketAndRecordNothingWhileWaiting() throws {
        let fixture = try StoreFixture()
        let limits = fixture.store.rateLimits
        let start = StoreFixture.start
        // Free for two hits, then 10 s after the newest; the second bucket never waits.
        let buckets: [(bucket: String, delay: (Int) -> Int)] = [("pair", { $0 >= 2 ? 10 : 0 }), ("all", { _ in 0 })]
        #expect(try limits.hitAfterDelay(buckets, at: start, window: 100) == nil)
        #expect(try limits.hitAfterDelay(buckets, at: start.addingTimeInterval(1), window: 100) == nil)
        #expect(try limits.hitAfterDelay(buckets, at: start.addingTimeInterval(4), window: 100) == 7)
        #expect(try fixture.count("rate_limit_hits") == 4)
        #expect(try limits.hitAfterDelay(buckets, at: start.addingTimeInterval(11), window: 100) == nil)
        try limits.clear(bucket: "pair")
        #expect(try limits.hitAfterDelay(buckets, at: start.addingTimeInterval(12), window: 100) == nil)
    }
}
