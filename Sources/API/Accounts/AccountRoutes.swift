import Crypto
import Foundation
import HTTPCore
import Store

/// `POST /v1/accounts` (sign-up) and `GET /v1/account`.
enum AccountRoutes {
    /// Shortest password accepted.
    static let minimumPasswordLength = 12
    /// Longest password accepted (scrypt hashes any length; this only bounds the work per request).
    static let maximumPasswordLength = 1024

    static func register(on router: inout Router) {
        router.post("/v1/accounts") { request, context in try signUp(request, context) }
        router.get("/v1/account") { request, context in
            let caller = try context.authenticate(request)
            return JSONResponse(.ok, try describe(caller.account, context))
        }
    }

    static func describe(_ account: AccountRecord, _ context: RequestContext) throws -> JSONValue {
        .account(
            account,
            domainLimit: context.environment.domainLimit,
            domainCount: try context.store.domains.count(accountID: account.id)
        )
    }

    /// Reads `{email, password}`, checking syntax and length.
    static func credentials(_ request: HTTPRequest, checkStrength: Bool) throws -> (email: String, password: String) {
        try RequestBody.requireJSON(request)
        var fields = try JSONFields(body: request.body, allowed: ["email", "password"])
        let email = fields.string("email", maxLength: 254)
        let password = fields.string("password", maxLength: maximumPasswordLength)
        if let email, let problem = EmailAddress.problem(with: email) { fields.fail("email", rule: "email", problem) }
        if checkStrength, let password, password.count < minimumPasswordLength {
            fields.fail(
                "password",
                rule: "min_length",
                "A password needs at least \(minimumPasswordLength) characters."
            )
        }
        try fields.finish()
        guard let email, let password else { throw APIError.validation(fields.errors) }
        return (email, password)
    }

    private static func signUp(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let (email, password) = try credentials(request, checkStrength: true)
        let hash = try context.environment.passwordHasher.hash(password: password)
        let account: AccountRecord
        do {
            account = try context.store.accounts.create(email: email, passwordHash: hash, at: context.now)
        } catch let error as StoreError where error.code == .duplicateEmail {
            // Says no more than that sign-up with this address is not possible.
            throw APIError(
                .conflict,
                "account-exists",
                title: "Account exists",
                detail: "An account with this email address already exists; sign in instead."
            )
        }
        let session = try SessionRoutes.openSession(for: account, context)
        return JSONResponse(
            .created,
            ["account": try describe(account, context), "token": session],
            headers: [.location: "/v1/account"]
        )
    }
}
