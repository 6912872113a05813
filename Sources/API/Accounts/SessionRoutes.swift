import Crypto
import Foundation
import HTTPCore
import Store

/// `POST /v1/sessions` (login, rate-limited) and `DELETE /v1/sessions/current` (logout).
enum SessionRoutes {
    /// A valid hash of a random password, verified when the email is unknown so the response time does not
    /// reveal whether an account exists.
    private static let decoyHash: String = {
        let hasher = PasswordHasher(parameters: .fastForTesting)
        return (try? hasher.hash(password: UUID().uuidString)) ?? ""
    }()

    static func register(on router: inout Router) {
        router.post("/v1/sessions") { request, context in try logIn(request, context) }
        router.delete("/v1/sessions/current") { request, context in
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
            return NoContent()
        }
    }

    /// Creates a session token for `account` and returns `{value, kind, expires_at}`.
    static func openSession(for account: AccountRecord, _ context: RequestContext) throws -> JSONValue {
        let (secret, digest) = try BearerToken.generate()
        let now = context.now
        let expires = now.addingTimeInterval(context.environment.sessionLifetime)
        let token = try context.store.tokens.create(
            accountID: account.id,
            name: "session",
            kind: .session,
            sha256: digest,
            at: now,
            expiresAt: expires
        )
        return [
            "id": .string(token.id.uuidString.lowercased()), "kind": .string(token.kind.rawValue),
            "value": .string(secret),
            "expires_at": .date(expires),
        ]
    }

    private static func logIn(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let (email, password) = try AccountRoutes.credentials(request, checkStrength: false)
        let limits = context.environment.loginLimits
        let now = context.now
        let addressBucket = "login-ip:" + String(request.remoteAddress.prefix(64))
        let accountBucket = "login-email:" + email.lowercased()
        let rateLimits = context.store.rateLimits
        let waits = [
            try rateLimits.retryAfter(
                bucket: addressBucket,
                at: now,
                window: limits.window,
                limit: limits.attemptsPerAddress
            ),
            try rateLimits.retryAfter(
                bucket: accountBucket,
                at: now,
                window: limits.window,
                limit: limits.failuresPerAccount
            ),
        ].compactMap { $0 }
        if let wait = waits.max() {
            throw APIError(
                .tooManyRequests,
                "too-many-login-attempts",
                title: "Too many login attempts",
                detail: "Too many login attempts; try again in \(wait) seconds.",
                headers: [.retryAfter: String(wait)]
            )
        }
        try rateLimits.record(bucket: addressBucket, at: now, window: limits.window)
        let account = try context.store.accounts.find(email: email)
        let hasher = context.environment.passwordHasher
        guard let account, hasher.verify(password: password, against: account.passwordHash) else {
            if account == nil { _ = hasher.verify(password: password, against: decoyHash) }
            try rateLimits.record(bucket: accountBucket, at: now, window: limits.window)
            throw APIError.unauthorized("The email address or password is wrong.")
        }
        return JSONResponse(.created, try openSession(for: account, context))
    }
}
