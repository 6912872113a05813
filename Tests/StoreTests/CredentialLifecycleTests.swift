import Crypto
import Database
import Foundation
import MTASTS
import Store
import TestSupport
import Testing

@Suite struct CredentialLifecycleTests {
    private func token(
        _ fixture: StoreFixture,
        _ account: AccountRecord,
        _ kind: TokenKind,
        _ secret: String,
        at offset: TimeInterval = 0,
        limit: Int = 50
    )
        throws -> TokenRecord
    {
        try fixture.store.tokens.create(
            accountID: account.id,
            name: secret,
            kind: kind,
            sha256: Digest.sha256(secret),
            at: StoreFixture.start.addingTimeInterval(offset),
            expiresAt: StoreFixture.start.addingTimeInterval(3600),
            limit: limit
        )
    }

    @Test func aPasswordChangeKeepsOnlyTheCallersSessionAndOptionallyTheTokens() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("p@example.com")
        let current = try token(fixture, owner, .session, "mts_a")
        _ = try token(fixture, owner, .session, "mts_b")
        _ = try token(fixture, owner, .api, "mts_c")
        let kept = try fixture.store.accounts.changePassword(
            accountID: owner.id,
            passwordHash: String(repeating: "n", count: 40),
            keeping: current.id,
            revokeTokens: false,
            at: StoreFixture.start
        )
        #expect(kept.sessions == 1 && kept.tokens == 0)
        #expect(
            try fixture.store.accounts.find(email: "p@example.com")?.passwordHash == String(repeating: "n", count: 40)
        )
        #expect(try fixture.store.tokens.authenticate(sha256: Digest.sha256("mts_b"), at: StoreFixture.start) == nil)
        #expect(try fixture.store.tokens.authenticate(sha256: Digest.sha256("mts_c"), at: StoreFixture.start) != nil)
        let all = try fixture.store.accounts.changePassword(
            accountID: owner.id,
            passwordHash: String(repeating: "m", count: 40),
            keeping: current.id,
            revokeTokens: true,
            at: StoreFixture.start
        )
        #expect(all.sessions == 0 && all.tokens == 1)
        #expect(try fixture.store.tokens.authenticate(sha256: Digest.sha256("mts_a"), at: StoreFixture.start) != nil)
    }

    @Test func apiTokensStopAtTheLimitWhileSessionsReplaceTheOldest() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("l@example.com")
        for index in 0..<2 { _ = try token(fixture, owner, .api, "mts_api\(index)", limit: 2) }
        #expect(throws: StoreError(.tokenLimitReached, "")) { try token(fixture, owner, .api, "mts_api2", limit: 2) }
        let first = try token(fixture, owner, .session, "mts_s0", at: 1, limit: 2)
        _ = try token(fixture, owner, .session, "mts_s1", at: 2, limit: 2)
        _ = try token(fixture, owner, .session, "mts_s2", at: 3, limit: 2)
        let sessions = try fixture.store.tokens.list(accountID: owner.id, kind: .session, at: StoreFixture.start)
        #expect(sessions.map(\.name) == ["mts_s1", "mts_s2"])
        #expect(!sessions.contains { $0.id == first.id })
    }

    @Test func closingAnAccountOffboardsVerifiedDomainsDeletesPendingOnesAndFreesTheEmail() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("c@example.com")
        let live = try fixture.domain(owner, "live.example")
        let pending = try fixture.domain(owner, "pending.example")
        _ = try fixture.store.domains.markVerified(
            domainID: live.id,
            initialPolicy: try fixture.policy(.enforce, ["mx.live.example"], maxAge: 604_800),
            at: StoreFixture.start
        )
        _ = try token(fixture, owner, .api, "mts_closing")
        let later = StoreFixture.start.addingTimeInterval(60)
        let offboarding = try fixture.store.accounts.close(accountID: owner.id, at: later)
        #expect(offboarding.map(\.name) == ["live.example"])
        #expect(offboarding.first?.status == .offboarding)
        // The none policy is served until the enforce policy's max_age has run out everywhere.
        #expect(offboarding.first?.serveUntil == later.addingTimeInterval(604_800))
        #expect(try fixture.store.policies.current(domainID: live.id)?.mode == PolicyMode.none)
        #expect(try fixture.store.domains.find(accountID: owner.id, name: "pending.example") == nil)
        #expect(try fixture.store.tokens.authenticate(sha256: Digest.sha256("mts_closing"), at: later) == nil)
        #expect(try fixture.store.accounts.find(email: "c@example.com") == nil)
        #expect(throws: StoreError(.notFound, "")) { try fixture.store.accounts.close(accountID: owner.id, at: later) }
        let again = try fixture.account("c@example.com")
        #expect(again.id != owner.id)
        _ = pending
    }

    @Test func anInvitationIsRedeemedOnceBeforeItExpires() throws {
        let fixture = try StoreFixture()
        let code = Digest.sha256("inv_code")
        try fixture.store.invitations.create(
            codeSHA256: code,
            at: StoreFixture.start,
            expiresAt: StoreFixture.start.addingTimeInterval(3600)
        )
        #expect(throws: StoreError(.invalidInvitation, "")) {
            try fixture.store.accounts.create(
                email: "late@example.com",
                passwordHash: String(repeating: "h", count: 40),
                invitation: code,
                at: StoreFixture.start.addingTimeInterval(3600)
            )
        }
        #expect(try fixture.store.accounts.find(email: "late@example.com") == nil)
        _ = try fixture.store.accounts.create(
            email: "in@example.com",
            passwordHash: String(repeating: "h", count: 40),
            invitation: code,
            at: StoreFixture.start
        )
        #expect(throws: StoreError(.invalidInvitation, "")) {
            try fixture.store.accounts.create(
                email: "twice@example.com",
                passwordHash: String(repeating: "h", count: 40),
                invitation: code,
                at: StoreFixture.start
            )
        }
        #expect(try fixture.count("accounts") == 1)
    }

    @Test func retentionForgetsExpiredTokensAndUncacheablePolicyHistory() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("r@example.com")
        _ = try token(fixture, owner, .session, "mts_old")
        let domain = try fixture.domain(owner, "history.example")
        _ = try fixture.store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try fixture.policy(.testing, ["mx0.history.example"], maxAge: 86_400),
            at: StoreFixture.start
        )
        let versions = RetentionRepository.policyHistoryKept + 5
        for index in 1..<versions {
            _ = try fixture.store.policies.publish(
                domainID: domain.id,
                policy: try fixture.policy(.testing, ["mx\(index).history.example"], maxAge: 86_400),
                at: StoreFixture.start.addingTimeInterval(Double(index))
            )
        }
        // A day later the oldest versions may still be cached: nothing goes.
        try fixture.store.retention.purge(at: StoreFixture.start.addingTimeInterval(86_400))
        #expect(try fixture.store.policies.history(domainID: domain.id).count == versions)
        #expect(try fixture.count("api_tokens") == 0)
        try fixture.store.retention.purge(at: StoreFixture.start.addingTimeInterval(2 * 86_400))
        let kept = try fixture.store.policies.history(domainID: domain.id)
        #expect(kept.count == RetentionRepository.policyHistoryKept)
        #expect(kept.last?.mx == ["mx\(versions - 1).history.example"])
    }
}
