package import Foundation

/// The ACME order flow (RFC 8555 §7.4–7.5) as a pure state machine: the client feeds it what the server said and
/// executes the ``Action`` it returns; no I/O and no clock of its own (every event carries `now`).
///
/// The order moves pending → ready → processing → valid (or invalid). While pending, each authorization that is
/// not yet valid is handled in turn: publish the http-01 key authorization, notify the challenge, poll the
/// authorization (honouring `Retry-After`, else exponential backoff). Then finalize, poll the order, download.
///
/// Because every decision starts from the order object, a worker killed mid-order resumes by fetching the order
/// URL it persisted and calling ``orderUpdated(_:retryAfter:now:)`` on a fresh machine.
///
/// ```swift
/// var machine = ACMEOrderStateMachine(orderURL: url, accountThumbprint: thumbprint, policy: .init(), now: now)
/// var action = machine.orderUpdated(order, retryAfter: nil, now: now)
/// while true {
///     switch action {
///     case .fetchAuthorizations(let urls): action = machine.authorizationsFetched(fetch(urls), now: clock.now())
///     …
///     case .complete: return
///     case .fail(let failure): throw failure.error
///     }
/// }
/// ```
package struct ACMEOrderStateMachine: Sendable {
    /// What the client must do next.
    package enum Action: Sendable, Equatable {
        /// POST-as-GET each authorization URL, then call ``authorizationsFetched(_:now:)``.
        case fetchAuthorizations([String])
        /// Make the key authorization reachable over HTTP, then call ``challengePublished(now:)``.
        case publishChallenge(ACMEChallengePublication)
        /// POST `{}` to the challenge URL, then call ``challengeNotified(_:retryAfter:now:)``.
        case notifyChallenge(url: String)
        /// Wait until `after`, POST-as-GET the authorization, then call ``authorizationPolled(_:retryAfter:now:)``.
        case pollAuthorization(url: String, after: Date)
        /// POST the CSR to `url`, then call ``orderUpdated(_:retryAfter:now:)`` with the response (or
        /// ``finalizeRejectedAsNotReady(now:)`` on `orderNotReady`).
        case finalize(url: String)
        /// Wait until `after`, POST-as-GET the order URL, then call ``orderUpdated(_:retryAfter:now:)``.
        case pollOrder(after: Date)
        /// POST-as-GET the certificate chain, then call ``certificateDownloaded()``.
        case download(url: String)
        /// The certificate has been downloaded.
        case complete
        /// The order cannot complete.
        case fail(ACMEOrderFailure)
    }

    /// Where the order stands, mirroring the order status plus the two terminal outcomes.
    package enum Phase: Sendable, Equatable {
        case pending, ready, processing, valid, complete, failed
    }

    /// An authorization still to satisfy.
    private struct PendingAuthorization: Sendable {
        var publication: ACMEChallengePublication
        var needsNotification: Bool
    }

    /// The order's URL (what the worker persists to resume).
    package let orderURL: String
    /// The current phase.
    package private(set) var phase: Phase = .pending

    private let accountThumbprint: String
    private let policy: ACMEPollingPolicy
    private let deadline: Date
    private var queue: [PendingAuthorization] = []
    private var current: PendingAuthorization?
    private var attempt = 0
    private var lastOrderStatus: ACMEStatus?
    private var hasFinalized = false

    /// Creates a machine for the order at `orderURL`.
    ///
    /// - Parameters:
    ///   - orderURL: The order's URL (`Location` of newOrder).
    ///   - accountThumbprint: RFC 7638 thumbprint of the account key, for key authorizations (§8.1).
    ///   - policy: Polling delays and the overall deadline.
    ///   - now: When driving starts; the deadline is `now + policy.timeout`.
    package init(orderURL: String, accountThumbprint: String, policy: ACMEPollingPolicy, now: Date) {
        self.orderURL = orderURL
        self.accountThumbprint = accountThumbprint
        self.policy = policy
        self.deadline = now.addingTimeInterval(policy.timeout)
    }

    /// The key authorization for `token`: `token "." thumbprint` (§8.1).
    package func keyAuthorization(token: String) -> String {
        token + "." + accountThumbprint
    }

    // MARK: - Events

    /// The order object arrived (from newOrder, a poll, finalize, or on resume).
    package mutating func orderUpdated(_ order: ACMEOrder, retryAfter: Date?, now: Date) -> Action {
        if order.status != lastOrderStatus {
            attempt = 0
            lastOrderStatus = order.status
        }
        switch order.status {
        case .pending:
            phase = .pending
            guard !order.authorizations.isEmpty else {
                return fail(ACMEOrderFailure(.unexpectedStatus(order.status), problem: order.error))
            }
            return checkDeadline(now) ?? .fetchAuthorizations(order.authorizations)
        case .ready:
            phase = .ready
            if hasFinalized {
                // Finalize was accepted but the server has not moved on yet: look again shortly.
                return pollOrder(now: now, retryAfter: retryAfter)
            }
            hasFinalized = true
            return checkDeadline(now) ?? .finalize(url: order.finalize)
        case .processing:
            phase = .processing
            return pollOrder(now: now, retryAfter: retryAfter)
        case .valid:
            phase = .valid
            guard let certificate = order.certificate else {
                // §7.1.3: a valid order has a certificate URL; without one there is nothing to wait for.
                return fail(ACMEOrderFailure(.unexpectedStatus(order.status)))
            }
            return .download(url: certificate)
        case .invalid:
            return fail(ACMEOrderFailure(.orderInvalid, problem: order.error))
        default:
            return fail(ACMEOrderFailure(.unexpectedStatus(order.status), problem: order.error))
        }
    }

    /// The order's authorizations arrived (in any order), each with its URL.
    package mutating func authorizationsFetched(
        _ authorizations: [(url: String, authorization: ACMEAuthorization)],
        now: Date
    ) -> Action {
        queue = []
        current = nil
        for (url, authorization) in authorizations {
            let identifier = authorization.identifier.value
            switch authorization.status {
            case .valid:
                continue
            case .pending:
                guard let challenge = authorization.http01Challenge, let token = challenge.token else {
                    return fail(ACMEOrderFailure(.noHTTP01Challenge(identifier: identifier)))
                }
                if challenge.status == .invalid {
                    return fail(
                        ACMEOrderFailure(.authorizationInvalid(identifier: identifier), problem: challenge.error)
                    )
                }
                let publication = ACMEChallengePublication(
                    authorizationURL: url,
                    challengeURL: challenge.url,
                    token: token,
                    keyAuthorization: keyAuthorization(token: token),
                    host: identifier
                )
                // A challenge already processing (e.g. notified before a restart) must not be notified again.
                queue.append(
                    PendingAuthorization(publication: publication, needsNotification: challenge.status == .pending)
                )
            case .invalid:
                return fail(
                    ACMEOrderFailure(
                        .authorizationInvalid(identifier: identifier),
                        problem: authorization.challengeError
                    )
                )
            default:
                return fail(
                    ACMEOrderFailure(.authorizationUnusable(identifier: identifier, status: authorization.status))
                )
            }
        }
        return startNextAuthorization(now: now)
    }

    /// The key authorization of the current challenge is now served.
    package mutating func challengePublished(now: Date) -> Action {
        guard let current else {
            return fail(ACMEOrderFailure(.unexpectedStatus(.pending)))
        }
        if current.needsNotification {
            return checkDeadline(now) ?? .notifyChallenge(url: current.publication.challengeURL)
        }
        return pollAuthorization(now: now, retryAfter: nil)
    }

    /// The server answered the challenge notification with the challenge object.
    package mutating func challengeNotified(_ challenge: ACMEChallenge, retryAfter: Date?, now: Date) -> Action {
        guard let current else {
            return fail(ACMEOrderFailure(.unexpectedStatus(challenge.status)))
        }
        if challenge.status == .invalid {
            return fail(
                ACMEOrderFailure(.authorizationInvalid(identifier: current.publication.host), problem: challenge.error)
            )
        }
        attempt = 0
        return pollAuthorization(now: now, retryAfter: retryAfter)
    }

    /// A polled authorization arrived.
    package mutating func authorizationPolled(
        _ authorization: ACMEAuthorization,
        retryAfter: Date?,
        now: Date
    )
        -> Action
    {
        let identifier = authorization.identifier.value
        switch authorization.status {
        case .valid:
            current = nil
            attempt = 0
            return startNextAuthorization(now: now)
        case .pending:
            return pollAuthorization(now: now, retryAfter: retryAfter)
        case .invalid:
            return fail(
                ACMEOrderFailure(.authorizationInvalid(identifier: identifier), problem: authorization.challengeError)
            )
        default:
            return fail(ACMEOrderFailure(.authorizationUnusable(identifier: identifier, status: authorization.status)))
        }
    }

    /// Finalize was refused with `orderNotReady` (§7.4): re-fetch the order after a backoff and decide again.
    package mutating func finalizeRejectedAsNotReady(now: Date) -> Action {
        hasFinalized = false
        return pollOrder(now: now, retryAfter: nil)
    }

    /// The certificate chain has been downloaded.
    package mutating func certificateDownloaded() -> Action {
        phase = .complete
        return .complete
    }

    // MARK: - Helpers

    private mutating func startNextAuthorization(now: Date) -> Action {
        guard !queue.isEmpty else {
            // Everything is valid: the order should be ready now; re-fetch it (immediately the first time).
            let after = attempt == 0 ? now : policy.nextPoll(now: now, retryAfter: nil, attempt: attempt - 1)
            attempt += 1
            return schedule(after, now: now, .pollOrder(after: after))
        }
        let next = queue.removeFirst()
        current = next
        attempt = 0
        return checkDeadline(now) ?? .publishChallenge(next.publication)
    }

    private mutating func pollAuthorization(now: Date, retryAfter: Date?) -> Action {
        guard let current else {
            return fail(ACMEOrderFailure(.unexpectedStatus(.pending)))
        }
        let after = policy.nextPoll(now: now, retryAfter: retryAfter, attempt: attempt)
        attempt += 1
        return schedule(after, now: now, .pollAuthorization(url: current.publication.authorizationURL, after: after))
    }

    private mutating func pollOrder(now: Date, retryAfter: Date?) -> Action {
        let after = policy.nextPoll(now: now, retryAfter: retryAfter, attempt: attempt)
        attempt += 1
        return schedule(after, now: now, .pollOrder(after: after))
    }

    private mutating func schedule(_ after: Date, now: Date, _ action: Action) -> Action {
        if let failure = checkDeadline(now) { return failure }
        guard after <= deadline else {
            return fail(ACMEOrderFailure(.timedOut))
        }
        return action
    }

    private mutating func checkDeadline(_ now: Date) -> Action? {
        now > deadline ? fail(ACMEOrderFailure(.timedOut)) : nil
    }

    private mutating func fail(_ failure: ACMEOrderFailure) -> Action {
        phase = .failed
        return .fail(failure)
    }
}
