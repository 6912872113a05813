package import Crypto
import Foundation
import HTTPCore
import JSON
import Store
import Synchronization

/// `POST /v1/sessions` (login), `GET /v1/sessions`, `DELETE /v1/sessions/{id}` (`current` for the caller's own).
package enum SessionRoutes {
    /// Most sessions an account holds; a new login beyond it ends the oldest.
    package static let maximumSessions = 50

    /// Hashes of a random password, one per parameter set, verified when the email is unknown so that the
    /// response time (the same scrypt work as a real account) does not reveal whether an account exists.
    private static let decoyHashes = Mutex<[PasswordHasher.Parameters: String]>([:])

    static func register(on router: inout Router) {
        router.post("/v1/sessions", audit: .recorded("session.create", target: .responseField("id"))) {
            request,
            context in try logIn(request, context)
        }
        router.get("/v1/sessions") { request, context in
            let caller = try context.authenticate(request)
            let sessions = try context.store.tokens.list(accountID: caller.account.id, kind: .session, at: context.now)
            return JSONResponse(
                .ok,
                [
                    "sessions": .array(
                        sessions.map { session in
                            JSONValue.token(session).adding([
                                "created_from": .string(session.createdFrom),
                                "current": .bool(session.id == caller.token.id),
                            ])
                        }
                    )
                ]
            )
        }
        router.delete("/v1/sessions/current", audit: .recorded("session.end", target: .none)) { request, context in
            let caller = try context.authenticate(request)
            guard caller.token.kind == .session else {
                throw APIError(
                    .conflict,
                    "not-a-session",
                    title: "Not a session",
                    detail: "This credential is an API token; revoke it with DELETE /v1/tokens/{id}."
                )
            }
            _ = try context.store.tokens.delete(id: caller.token.id, accountID: caller.account.id, kind: .session)
            context.audit.setTarget(caller.token.id.uuidString.lowercased())
            return NoContent()
        }
        router.delete("/v1/sessions/{id}", audit: .recorded("session.revoke", target: .parameter("id"))) {
            request,
            context in
            let caller = try context.authenticate(request)
            try caller.requireSession()
            guard let id = UUID(uuidString: context.parameter("id")),
                try context.store.tokens.delete(id: id, accountID: caller.account.id, kind: .session)
            else { throw APIError.notFound("The session") }
            return NoContent()
        }
    }

    /// Creates a session token for `account` and returns `{id, kind, value, expires_at}`.
    static func openSession(
        for account: AccountRecord,
        _ request: HTTPRequest,
        _ context: RequestContext
    ) throws
        -> JSONValue
    {
        let (secret, digest) = try BearerToken.generate()
        let now = context.now
        let expires = now.addingTimeInterval(context.environment.sessionLifetime)
        let token = try context.store.tokens.create(
            accountID: account.id,
            name: "session",
            kind: .session,
            sha256: digest,
            at: now,
            expiresAt: expires,
            createdFrom: context.clientKey(request),
            limit: maximumSessions
        )
        // Sign-up and login have no caller before this: the new session is the actor of their entries.
        context.audit.attribute(to: token)
        return [
            "id": .string(token.id.uuidString.lowercased()), "kind": .string(token.kind.rawValue),
            "value": .string(secret),
            "expires_at": .date(expires),
        ]
    }

    /// Checks `password` against `account`'s hash under the login limits, or against a decoy hash of the same
    /// cost when there is no account, so that every outcome costs the same.
    ///
    /// Before the password is looked at, the attempt is counted (per client address, refused beyond the limit)
    /// and recorded as a failure for this account from this address and from anywhere; a success forgets the
    /// address's failures. Recording first makes the check atomic: a burst of parallel guesses sees the
    /// failures of the ones before it.
    /// - Throws: 429 with `Retry-After` while a delay runs, 401 when the password is wrong.
    static func checkPassword(
        _ password: String,
        email: String,
        account: AccountRecord?,
        _ request: HTTPRequest,
        _ context: RequestContext
    ) throws {
        let limits = context.environment.loginLimits
        let now = context.now
        let client = context.clientKey(request)
        let email = email.lowercased()
        let rateLimits = context.store.rateLimits
        let addressBucket = "login-address:" + client
        let pairBucket = "login-failures:" + client + " " + email
        if let wait = try rateLimits.hit(
            bucket: addressBucket,
            at: now,
            window: limits.window,
            limit: limits.attemptsPerAddress
        ) {
            throw tooMany(wait)
        }
        let wait = try rateLimits.hitAfterDelay(
            [
                (pairBucket, { limits.delay(addressFailures: $0) }),
                ("login-failures:" + email, { limits.delay(accountFailures: $0) }),
            ],
            at: now,
            window: limits.window
        )
        if let wait { throw tooMany(wait) }
        let hasher = context.environment.passwordHasher
        guard let account else {
            _ = hasher.verify(password: password, against: try decoyHash(hasher))
            throw APIError.unauthorized("The email address or password is wrong.")
        }
        guard hasher.verify(password: password, against: account.passwordHash) else {
            throw APIError.unauthorized("The email address or password is wrong.")
        }
        try rateLimits.clear(bucket: pairBucket)
    }

    private static func logIn(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let (email, password, _) = try AccountRoutes.credentials(request, checkStrength: false)
        let account = try context.store.accounts.find(email: email)
        try checkPassword(password, email: email, account: account, request, context)
        guard let account else { throw APIError.unauthorized("The email address or password is wrong.") }
        // Only after the password matched, so suspension reveals nothing to someone guessing.
        if account.suspendedAt != nil { throw APIError.accountSuspended }
        return JSONResponse(.created, try openSession(for: account, request, context))
    }

    /// The decoy hash for `hasher`'s parameters, made once per parameter set.
    package static func decoyHash(_ hasher: PasswordHasher) throws -> String {
        if let hash = decoyHashes.withLock({ $0[hasher.parameters] }) { return hash }
        let hash = try hasher.hash(password: try SecureRandom.token(byteCount: 16))
        decoyHashes.withLock { $0[hasher.parameters] = hash }
        return hash
    }

    private static func tooMany(_ wait: Int) -> APIError {
        APIError(
            .tooManyRequests,
            "too-many-login-attempts",
            title: "Too many login attempts",
            detail: "Too many login attempts; try again in \(wait) seconds.",
            headers: [.retryAfter: String(wait)]
        )
    }
}
