import Crypto
import Foundation
import HTTPCore
import JSON
import Store

/// `POST /v1/accounts` (sign-up), `GET /v1/account`, `PUT /v1/account/password`, `DELETE /v1/account`.
package enum AccountRoutes {
    /// The prefix of invitation codes from `mtasts admin invite`.
    package static let invitationPrefix = "inv_"

    /// Shortest password accepted.
    static let minimumPasswordLength = 12
    /// Longest password accepted (scrypt hashes any length; this only bounds the work per request).
    static let maximumPasswordLength = 1024

    static func register(on router: inout Router) {
        router.post("/v1/accounts", audit: .recorded("account.create", target: .none)) { request, context in
            try signUp(request, context)
        }
        router.get("/v1/account") { request, context in
            let caller = try context.authenticate(request)
            return JSONResponse(.ok, try describe(caller.account, context))
        }
        router.put("/v1/account/password", audit: .recorded("account.password_change", target: .none)) {
            request,
            context in try changePassword(request, context)
        }
        router.delete("/v1/account", audit: .recorded("account.close", target: .none)) { request, context in
            try close(request, context)
        }
    }

    static func describe(_ account: AccountRecord, _ context: RequestContext) throws -> JSONValue {
        .account(
            account,
            domainLimit: context.environment.domainLimit,
            domainCount: try context.store.domains.count(accountID: account.id)
        )
    }

    /// What a request body may say about an invitation code.
    enum InvitationField {
        /// Not a member of this body (login): `invitation` is an unknown field.
        case refused
        /// Optional and unused (sign-up while `MTASTS_SIGNUP=open`): checked for its syntax, then dropped, so the
        /// body the API documents is accepted whatever the platform's sign-up mode.
        case ignored
        /// Required (sign-up while `MTASTS_SIGNUP=invite`).
        case required
    }

    /// Reads `{email, password}` (and `invitation` as `invitation` says), checking syntax and length.
    /// - Returns: the invitation code only when it is `.required`.
    static func credentials(
        _ request: HTTPRequest,
        checkStrength: Bool,
        invitation: InvitationField = .refused
    ) throws
        -> (email: String, password: String, invitation: String?)
    {
        try RequestBody.requireJSON(request)
        var fields = try JSONFields(
            body: request.body,
            allowed: invitation == .refused ? ["email", "password"] : ["email", "password", "invitation"]
        )
        let email = fields.string("email", maxLength: 254)
        let password = fields.string("password", maxLength: maximumPasswordLength)
        let code =
            invitation == .refused
            ? nil : fields.string("invitation", required: invitation == .required, maxLength: 100)
        if let email, let problem = EmailAddress.problem(with: email) { fields.fail("email", rule: "email", problem) }
        if checkStrength, let password { checkNewPassword(password, field: "password", &fields) }
        if let code, !code.hasPrefix(invitationPrefix) {
            fields.fail("invitation", rule: "format", "An invitation code starts with \(invitationPrefix).")
        }
        try fields.finish()
        guard let email, let password, code != nil || invitation != .required else {
            throw APIError.validation(fields.errors)
        }
        return (email, password, invitation == .required ? code : nil)
    }

    private static func checkNewPassword(_ password: String, field: String, _ fields: inout JSONFields) {
        if password.unicodeScalars.count < minimumPasswordLength {
            fields.fail(field, rule: "min_length", "A password needs at least \(minimumPasswordLength) characters.")
        }
    }

    private static func signUp(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let mode = context.environment.signupMode
        guard mode != .closed else {
            throw APIError(
                .forbidden,
                "signup-closed",
                title: "Sign-up closed",
                detail: "This platform does not take new accounts (MTASTS_SIGNUP=closed); ask its operator."
            )
        }
        let (email, password, invitation) = try credentials(
            request,
            checkStrength: true,
            invitation: mode == .invite ? .required : .ignored
        )
        try checkSignupLimits(request, context)
        let hash = try context.environment.passwordHasher.hash(password: password)
        let account: AccountRecord
        do {
            account = try context.store.accounts.create(
                email: email,
                passwordHash: hash,
                invitation: invitation.map { Digest.sha256($0) },
                at: context.now
            )
        } catch let error as StoreError where error.code == .duplicateEmail {
            // Sign-up logs the new account in at once, so a taken address cannot get the same answer as a new
            // one; the sign-up limits bound how fast addresses can be tried (docs/security.md).
            throw APIError(
                .conflict,
                "account-exists",
                title: "Account exists",
                detail: "An account with this email address already exists; sign in instead."
            )
        } catch let error as StoreError where error.code == .invalidInvitation {
            throw APIError.invalid("invitation", rule: "invitation", "The invitation code is unknown, used or expired.")
        }
        let session = try SessionRoutes.openSession(for: account, request, context)
        return JSONResponse(
            .created,
            ["account": try describe(account, context), "token": session],
            headers: [.location: "/v1/account"]
        )
    }

    /// Counts a sign-up against the per-address and global limits before any hashing is done.
    /// - Throws: 429 with `Retry-After`.
    private static func checkSignupLimits(_ request: HTTPRequest, _ context: RequestContext) throws {
        let limits = context.environment.signupLimits
        let rateLimits = context.store.rateLimits
        let now = context.now
        let checks = [
            ("signup-address:" + context.clientKey(request), limits.perAddress, "from this address"),
            ("signup-global", limits.global, "on this platform"),
        ]
        for (bucket, limit, scope) in checks {
            if let wait = try rateLimits.hit(bucket: bucket, at: now, window: limits.window, limit: limit) {
                throw APIError(
                    .tooManyRequests,
                    "too-many-signups",
                    title: "Too many sign-ups",
                    detail: "Too many accounts were created \(scope) recently; try again in \(wait) seconds.",
                    headers: [.retryAfter: String(wait)]
                )
            }
        }
    }

    /// `PUT /v1/account/password` with `{current_password, new_password, revoke_tokens?}`: a session only; every
    /// other session ends, and every API token too when `revoke_tokens` is true.
    private static func changePassword(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let caller = try context.authenticate(request)
        try caller.requireSession()
        try RequestBody.requireJSON(request)
        var fields = try JSONFields(
            body: request.body,
            allowed: ["current_password", "new_password", "revoke_tokens"]
        )
        let current = fields.string("current_password", maxLength: maximumPasswordLength)
        let new = fields.string("new_password", maxLength: maximumPasswordLength)
        let revokeTokens = fields.bool("revoke_tokens") ?? false
        if let new { checkNewPassword(new, field: "new_password", &fields) }
        try fields.finish()
        guard let current, let new else { throw APIError.validation(fields.errors) }
        try confirmPassword(current, field: "current_password", caller, request, context)
        let revoked = try context.store.accounts.changePassword(
            accountID: caller.account.id,
            passwordHash: try context.environment.passwordHasher.hash(password: new),
            keeping: caller.token.id,
            revokeTokens: revokeTokens,
            at: context.now
        )
        return JSONResponse(.ok, ["sessions_revoked": .int(revoked.sessions), "tokens_revoked": .int(revoked.tokens)])
    }

    /// `DELETE /v1/account` with `{password}`: a session only. Verified domains are offboarded (RFC 8461 §8.3:
    /// mode `none` is served until every policy a sender may have cached has expired), the others deleted,
    /// every credential revoked.
    private static func close(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let caller = try context.authenticate(request)
        try caller.requireSession()
        try RequestBody.requireJSON(request)
        var fields = try JSONFields(body: request.body, allowed: ["password"])
        let password = fields.string("password", maxLength: maximumPasswordLength)
        try fields.finish()
        guard let password else { throw APIError.validation(fields.errors) }
        try confirmPassword(password, field: "password", caller, request, context)
        let offboarding = try context.store.accounts.close(accountID: caller.account.id, at: context.now)
        return JSONResponse(
            .ok,
            [
                "closed_at": .date(context.now),
                "offboarding": .array(
                    offboarding.map { ["name": .string($0.name), "serve_until": .date($0.serveUntil)] }
                ),
            ]
        )
    }

    /// Checks the caller's password under the login limits; a wrong one is a 422 on `field` (the session is
    /// valid, so 401 would tell the form to sign in again).
    private static func confirmPassword(
        _ password: String,
        field: String,
        _ caller: Authenticated,
        _ request: HTTPRequest,
        _ context: RequestContext
    ) throws {
        do {
            try SessionRoutes.checkPassword(
                password,
                email: caller.account.email,
                account: caller.account,
                request,
                context
            )
        } catch let error as APIError where error.status == .unauthorized {
            throw APIError.invalid(field, rule: "password", "The password is wrong.")
        }
    }
}
