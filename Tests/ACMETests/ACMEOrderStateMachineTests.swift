import Foundation
import Testing

@testable import ACME

/// The order flow without a network: events in, actions out, time injected.
@Suite struct ACMEOrderStateMachineTests {
    static let start = Date(timeIntervalSince1970: 1_764_000_000)
    static let policy = ACMEPollingPolicy(initialDelay: 0.5, maximumDelay: 4, maximumRetryAfter: 30, timeout: 120)
    static let thumbprint = "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U"

    static func order(
        _ status: ACMEStatus,
        authorizations: [String] = ["https://ca.test/authz/1"],
        certificate: String? = nil
    )
        -> ACMEOrder
    {
        ACMEOrder(
            status: status,
            identifiers: [.dns("mta-sts.example.com")],
            authorizations: authorizations,
            finalize: "https://ca.test/finalize/1",
            certificate: certificate
        )
    }

    static func authorization(
        _ status: ACMEStatus,
        host: String = "mta-sts.example.com",
        challenge: ACMEStatus = .pending,
        token: String = "tok1",
        error: ACMEProblem? = nil,
        types: [String] = ["dns-01", "http-01"]
    ) -> ACMEAuthorization {
        ACMEAuthorization(
            identifier: .dns(host),
            status: status,
            challenges: types.map {
                ACMEChallenge(
                    type: $0,
                    url: "https://ca.test/chall/\(host)/\($0)",
                    status: challenge,
                    token: token,
                    error: error
                )
            }
        )
    }

    func makeMachine() -> ACMEOrderStateMachine {
        ACMEOrderStateMachine(
            orderURL: "https://ca.test/order/1",
            accountThumbprint: Self.thumbprint,
            policy: Self.policy,
            now: Self.start
        )
    }

    func at(_ seconds: TimeInterval) -> Date { Self.start.addingTimeInterval(seconds) }

    @Test func fullFlowPendingReadyProcessingValid() {
        var machine = makeMachine()
        #expect(
            machine.orderUpdated(Self.order(.pending), retryAfter: nil, now: at(0))
                == .fetchAuthorizations(["https://ca.test/authz/1"])
        )
        #expect(machine.phase == .pending)

        let publication = ACMEChallengePublication(
            authorizationURL: "https://ca.test/authz/1",
            challengeURL: "https://ca.test/chall/mta-sts.example.com/http-01",
            token: "tok1",
            keyAuthorization: "tok1." + Self.thumbprint,
            host: "mta-sts.example.com"
        )
        #expect(
            machine.authorizationsFetched([("https://ca.test/authz/1", Self.authorization(.pending))], now: at(1))
                == .publishChallenge(publication)
        )
        #expect(machine.challengePublished(now: at(1)) == .notifyChallenge(url: publication.challengeURL))

        let processing = ACMEChallenge(
            type: "http-01",
            url: publication.challengeURL,
            status: .processing,
            token: "tok1"
        )
        #expect(
            machine.challengeNotified(processing, retryAfter: nil, now: at(2))
                == .pollAuthorization(url: "https://ca.test/authz/1", after: at(2.5))
        )
        // Backoff doubles without Retry-After…
        #expect(
            machine.authorizationPolled(Self.authorization(.pending), retryAfter: nil, now: at(2.5))
                == .pollAuthorization(url: "https://ca.test/authz/1", after: at(3.5))
        )
        // …and Retry-After wins when present.
        #expect(
            machine.authorizationPolled(Self.authorization(.pending), retryAfter: at(10.5), now: at(3.5))
                == .pollAuthorization(url: "https://ca.test/authz/1", after: at(10.5))
        )
        // Valid: re-fetch the order at once.
        #expect(
            machine.authorizationPolled(Self.authorization(.valid, challenge: .valid), retryAfter: nil, now: at(11))
                == .pollOrder(after: at(11))
        )

        #expect(
            machine.orderUpdated(Self.order(.ready), retryAfter: nil, now: at(11))
                == .finalize(url: "https://ca.test/finalize/1")
        )
        #expect(machine.phase == .ready)
        #expect(
            machine.orderUpdated(Self.order(.processing), retryAfter: nil, now: at(12)) == .pollOrder(after: at(12.5))
        )
        #expect(machine.phase == .processing)
        #expect(
            machine.orderUpdated(Self.order(.processing), retryAfter: at(14), now: at(12.5))
                == .pollOrder(after: at(14))
        )
        #expect(
            machine.orderUpdated(
                Self.order(.valid, certificate: "https://ca.test/cert/1"),
                retryAfter: nil,
                now: at(14)
            ) == .download(url: "https://ca.test/cert/1")
        )
        #expect(machine.phase == .valid)
        #expect(machine.certificateDownloaded() == .complete)
        #expect(machine.phase == .complete)
    }

    @Test func backoffIsBoundedAndRetryAfterClamped() {
        var machine = makeMachine()
        _ = machine.orderUpdated(Self.order(.processing), retryAfter: nil, now: at(0))
        var now = at(0.5)
        var delays: [TimeInterval] = []
        for _ in 0..<5 {
            guard case .pollOrder(let after) = machine.orderUpdated(Self.order(.processing), retryAfter: nil, now: now)
            else {
                Issue.record("expected pollOrder")
                return
            }
            delays.append(after.timeIntervalSince(now))
            now = after
        }
        #expect(delays == [1, 2, 4, 4, 4])
        // A server asking for an hour is clamped to maximumRetryAfter (30 s); a past Retry-After means now.
        #expect(
            machine.orderUpdated(Self.order(.processing), retryAfter: now.addingTimeInterval(3600), now: now)
                == .pollOrder(after: now.addingTimeInterval(30))
        )
        #expect(
            machine.orderUpdated(Self.order(.processing), retryAfter: now.addingTimeInterval(-5), now: now)
                == .pollOrder(after: now)
        )
    }

    @Test func validAuthorizationsAreSkippedAndSeveralHandledInTurn() {
        var machine = makeMachine()
        let urls = ["https://ca.test/authz/a", "https://ca.test/authz/b", "https://ca.test/authz/c"]
        _ = machine.orderUpdated(Self.order(.pending, authorizations: urls), retryAfter: nil, now: at(0))
        let action = machine.authorizationsFetched(
            [
                (urls[0], Self.authorization(.valid, host: "a.example", challenge: .valid)),
                (urls[1], Self.authorization(.pending, host: "b.example", token: "tb")),
                (urls[2], Self.authorization(.pending, host: "c.example", challenge: .processing, token: "tc")),
            ],
            now: at(0)
        )
        guard case .publishChallenge(let first) = action else {
            Issue.record("expected publishChallenge, got \(action)")
            return
        }
        #expect(first.host == "b.example" && first.token == "tb" && first.keyAuthorization == "tb." + Self.thumbprint)
        #expect(
            machine.challengePublished(now: at(0)) == .notifyChallenge(url: "https://ca.test/chall/b.example/http-01")
        )
        _ = machine.challengeNotified(
            ACMEChallenge(type: "http-01", url: first.challengeURL, status: .pending, token: "tb"),
            retryAfter: nil,
            now: at(0)
        )
        guard
            case .publishChallenge(let second) = machine.authorizationPolled(
                Self.authorization(.valid, host: "b.example"),
                retryAfter: nil,
                now: at(1)
            )
        else {
            Issue.record("expected the second publication")
            return
        }
        #expect(second.host == "c.example")
        // Already processing (notified before a restart): publish again, but do not notify twice.
        #expect(machine.challengePublished(now: at(1)) == .pollAuthorization(url: urls[2], after: at(1.5)))
        #expect(
            machine.authorizationPolled(Self.authorization(.valid, host: "c.example"), retryAfter: nil, now: at(2))
                == .pollOrder(after: at(2))
        )
    }

    @Test func pendingOrderWithAllAuthorizationsValidWaitsWithBackoff() {
        var machine = makeMachine()
        _ = machine.orderUpdated(Self.order(.pending), retryAfter: nil, now: at(0))
        #expect(
            machine.authorizationsFetched([("https://ca.test/authz/1", Self.authorization(.valid))], now: at(0))
                == .pollOrder(after: at(0))
        )
        #expect(
            machine.orderUpdated(Self.order(.pending), retryAfter: nil, now: at(0))
                == .fetchAuthorizations(["https://ca.test/authz/1"])
        )
        #expect(
            machine.authorizationsFetched([("https://ca.test/authz/1", Self.authorization(.valid))], now: at(0))
                == .pollOrder(after: at(0.5))
        )
    }

    @Test func failures() {
        let problem = ACMEProblem(type: .connection, detail: "Connection refused", status: 400)
        var machine = makeMachine()
        _ = machine.orderUpdated(Self.order(.pending), retryAfter: nil, now: at(0))
        #expect(
            machine.authorizationsFetched(
                [("u", Self.authorization(.invalid, challenge: .invalid, error: problem))],
                now: at(0)
            )
                == .fail(ACMEOrderFailure(.authorizationInvalid(identifier: "mta-sts.example.com"), problem: problem))
        )
        #expect(machine.phase == .failed)

        machine = makeMachine()
        #expect(
            machine.authorizationsFetched(
                [("u", Self.authorization(.pending, types: ["dns-01", "tls-alpn-01"]))],
                now: at(0)
            )
                == .fail(ACMEOrderFailure(.noHTTP01Challenge(identifier: "mta-sts.example.com")))
        )

        machine = makeMachine()
        #expect(
            machine.authorizationsFetched([("u", Self.authorization(.deactivated))], now: at(0))
                == .fail(
                    ACMEOrderFailure(.authorizationUnusable(identifier: "mta-sts.example.com", status: .deactivated))
                )
        )

        machine = makeMachine()
        var invalid = Self.order(.invalid)
        invalid.error = problem
        #expect(
            machine.orderUpdated(invalid, retryAfter: nil, now: at(0))
                == .fail(ACMEOrderFailure(.orderInvalid, problem: problem))
        )

        machine = makeMachine()
        #expect(
            machine.orderUpdated(Self.order(.valid), retryAfter: nil, now: at(0))
                == .fail(ACMEOrderFailure(.unexpectedStatus(.valid)))
        )

        machine = makeMachine()
        _ = machine.orderUpdated(Self.order(.pending), retryAfter: nil, now: at(0))
        _ = machine.authorizationsFetched([("u", Self.authorization(.pending))], now: at(0))
        _ = machine.challengePublished(now: at(0))
        let invalidChallenge = ACMEChallenge(type: "http-01", url: "c", status: .invalid, token: "tok1", error: problem)
        #expect(
            machine.challengeNotified(invalidChallenge, retryAfter: nil, now: at(0))
                == .fail(ACMEOrderFailure(.authorizationInvalid(identifier: "mta-sts.example.com"), problem: problem))
        )
    }

    @Test func deadlineEndsPolling() {
        var machine = makeMachine()
        _ = machine.orderUpdated(Self.order(.processing), retryAfter: nil, now: at(0))
        // A poll that would land after the 120 s deadline fails instead of waiting.
        #expect(
            machine.orderUpdated(Self.order(.processing), retryAfter: at(119 + 30), now: at(119))
                == .fail(ACMEOrderFailure(.timedOut))
        )
        machine = makeMachine()
        #expect(
            machine.orderUpdated(Self.order(.ready), retryAfter: nil, now: at(121))
                == .fail(ACMEOrderFailure(.timedOut))
        )
    }

    @Test func notReadyFinalizeRetriesAfterRefetch() {
        var machine = makeMachine()
        #expect(
            machine.orderUpdated(Self.order(.ready), retryAfter: nil, now: at(0))
                == .finalize(url: "https://ca.test/finalize/1")
        )
        #expect(machine.finalizeRejectedAsNotReady(now: at(1)) == .pollOrder(after: at(1.5)))
        #expect(
            machine.orderUpdated(Self.order(.ready), retryAfter: nil, now: at(1.5))
                == .finalize(url: "https://ca.test/finalize/1")
        )
        // Ready again after finalize was accepted: poll rather than finalize twice.
        #expect(machine.orderUpdated(Self.order(.ready), retryAfter: nil, now: at(2)) == .pollOrder(after: at(3)))
    }

    @Test func resumeFromProcessingAfterRestart() {
        var machine = makeMachine()
        #expect(
            machine.orderUpdated(Self.order(.processing), retryAfter: at(3), now: at(0)) == .pollOrder(after: at(3))
        )
        #expect(
            machine.orderUpdated(Self.order(.valid, certificate: "https://ca.test/cert/9"), retryAfter: nil, now: at(3))
                == .download(url: "https://ca.test/cert/9")
        )
    }
}
