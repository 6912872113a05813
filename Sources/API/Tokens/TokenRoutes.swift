import Crypto
import Foundation
import HTTPCore
import JSON
import Store

/// `POST /v1/tokens`, `GET /v1/tokens`, `DELETE /v1/tokens/{id}`: API tokens for automation.
enum TokenRoutes {
    /// Lifetime of a token created without `expires_in`, in seconds (90 days).
    static let defaultLifetime = 90 * 86_400
    /// Longest lifetime a token may be given, in seconds (one year): a leaked token stops working by itself.
    static let maximumLifetime = 365 * 86_400
    /// Most unexpired API tokens one account holds.
    static let maximumTokens = 50

    static func register(on router: inout Router) {
        router.post("/v1/tokens", audit: .recorded("token.create", target: .responseField("id"))) { request, context in
            let caller = try context.authenticate(request)
            try caller.requireSession()
            try RequestBody.requireJSON(request)
            var fields = try JSONFields(body: request.body, allowed: ["name", "expires_in"])
            let name = fields.string("name", maxLength: 100)
            let expiresIn = fields.int("expires_in", required: false, range: 60...maximumLifetime)
            if let name, name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                fields.fail("name", rule: "characters", "The name may not contain control characters.")
            }
            try fields.finish()
            guard let name else { throw APIError.validation(fields.errors) }
            let (secret, digest) = try BearerToken.generate()
            let now = context.now
            let token: TokenRecord
            do {
                token = try context.store.tokens.create(
                    accountID: caller.account.id,
                    name: name,
                    kind: .api,
                    sha256: digest,
                    at: now,
                    expiresAt: now.addingTimeInterval(Double(expiresIn ?? defaultLifetime)),
                    limit: maximumTokens
                )
            } catch let error as StoreError where error.code == .tokenLimitReached {
                throw APIError(
                    .conflict,
                    "token-limit-reached",
                    title: "Token limit reached",
                    detail: "This account may hold at most \(maximumTokens) API tokens; revoke one first.",
                    extra: [JSONMember(key: "limit", value: .int(maximumTokens))]
                )
            }
            context.audit.note(["name": name])
            return JSONResponse(
                .created,
                JSONValue.token(token).adding(["value": .string(secret)]),
                headers: [.location: "/v1/tokens/\(token.id.uuidString.lowercased())"]
            )
        }
        router.get("/v1/tokens") { request, context in
            let caller = try context.authenticate(request)
            let tokens = try context.store.tokens.list(accountID: caller.account.id, kind: .api, at: context.now)
            return JSONResponse(.ok, ["tokens": .array(tokens.map(JSONValue.token))])
        }
        router.delete("/v1/tokens/{id}", audit: .recorded("token.revoke", target: .parameter("id"))) {
            request,
            context in
            let caller = try context.authenticate(request)
            guard let id = UUID(uuidString: context.parameter("id")),
                try context.store.tokens.delete(id: id, accountID: caller.account.id, kind: .api)
            else { throw APIError.notFound("The token") }
            return NoContent()
        }
    }
}
