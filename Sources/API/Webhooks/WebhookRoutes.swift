import Crypto
import Foundation
import HTTPCore
import JSON
import Store

/// `POST /v1/webhooks`, `GET /v1/webhooks`, `GET /v1/webhooks/{id}`, `DELETE /v1/webhooks/{id}`,
/// `GET /v1/webhooks/{id}/deliveries`, `POST /v1/webhooks/{id}/test`: where an account's alerts are delivered.
enum WebhookRoutes {
    /// The prefix of signing secrets, recognisable in logs and to secret scanners.
    static let secretPrefix = "whsec_"
    /// Largest page of a delivery log.
    static let maximumPageSize = 100
    /// Test events one account may send per ``testWindow`` seconds: each is an outbound request by the worker.
    static let testsPerWindow = 30
    /// The window of ``testsPerWindow``, in seconds.
    static let testWindow = 3600

    static func register(on router: inout Router) {
        router.post("/v1/webhooks", audit: .recorded("webhook.create", target: .responseField("id"))) {
            request,
            context in try create(request, context)
        }
        router.get("/v1/webhooks") { request, context in
            let caller = try context.authenticate(request)
            let webhooks = try context.store.webhooks.list(accountID: caller.account.id)
            return JSONResponse(.ok, ["webhooks": .array(webhooks.map(JSONValue.webhook))])
        }
        router.get("/v1/webhooks/{id}") { request, context in
            let (_, webhook) = try owned(request, context)
            return JSONResponse(.ok, .webhook(webhook))
        }
        router.delete("/v1/webhooks/{id}", audit: .recorded("webhook.delete", target: .parameter("id"))) {
            request,
            context in
            let caller = try context.authenticate(request)
            guard let id = UUID(uuidString: context.parameter("id")),
                try context.store.webhooks.delete(id: id, accountID: caller.account.id)
            else { throw APIError.notFound("The webhook") }
            return NoContent()
        }
        router.get("/v1/webhooks/{id}/deliveries") { request, context in try deliveries(request, context) }
        router.post("/v1/webhooks/{id}/test", audit: .recorded("webhook.test", target: .parameter("id"))) {
            request,
            context in try sendTest(request, context)
        }
    }

    /// The caller and their webhook named in the path; 404 for ids that are malformed, unknown or someone else's.
    private static func owned(
        _ request: HTTPRequest,
        _ context: RequestContext
    ) throws -> (Authenticated, WebhookRecord) {
        let caller = try context.authenticate(request)
        guard let id = UUID(uuidString: context.parameter("id")),
            let webhook = try context.store.webhooks.find(id: id, accountID: caller.account.id)
        else { throw APIError.notFound("The webhook") }
        return (caller, webhook)
    }

    private static func create(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let caller = try context.authenticate(request)
        try RequestBody.requireJSON(request)
        var fields = try JSONFields(body: request.body, allowed: ["url", "description"])
        let text = fields.string("url", maxLength: WebhookURLRules.maximumLength)
        let url = context.environment.webhookRules.url(text, in: &fields)
        let description = fields.string("description", required: false, maxLength: 200)
        if let description, description.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            fields.fail("description", rule: "characters", "The description may not contain control characters.")
        }
        try fields.finish()
        guard let url else { throw APIError.validation(fields.errors) }
        let secret = try SecureRandom.token(prefix: secretPrefix, byteCount: 32)
        let webhook: WebhookRecord
        do {
            webhook = try context.store.webhooks.create(
                accountID: caller.account.id,
                url: url,
                description: description,
                secret: secret,
                keyring: context.environment.keyring,
                limit: WebhookRepository.maximumPerAccount,
                at: context.now
            )
        } catch let error as StoreError where error.code == .webhookLimitReached {
            throw APIError(
                .conflict,
                "webhook-limit-reached",
                title: "Webhook limit reached",
                detail:
                    "This account may hold at most \(WebhookRepository.maximumPerAccount) webhooks; delete one first.",
                extra: [JSONMember(key: "limit", value: .int(WebhookRepository.maximumPerAccount))]
            )
        } catch let error as StoreError where error.code == .duplicateWebhook {
            throw APIError(
                .conflict,
                "webhook-exists",
                title: "Webhook already added",
                detail: "This account already has a webhook for \(url)."
            )
        }
        return JSONResponse(
            .created,
            JSONValue.webhook(webhook).adding(["secret": .string(secret)]),
            headers: [.location: "/v1/webhooks/\(webhook.id.uuidString.lowercased())"]
        )
    }

    private static func deliveries(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let caller = try context.authenticate(request)
        guard let id = UUID(uuidString: context.parameter("id")) else { throw APIError.notFound("The webhook") }
        var limit = 50
        if let text = context.query["limit"] {
            guard let value = Int(text), (1...maximumPageSize).contains(value) else {
                throw APIError.invalid("limit", rule: "range", "limit must be a whole number 1…\(maximumPageSize).")
            }
            limit = value
        }
        var after: UUID?
        if let text = context.query["after"] {
            guard let value = UUID(uuidString: text) else {
                throw APIError.invalid("after", rule: "uuid", "after is the id of a delivery (next_after).")
            }
            after = value
        }
        guard
            let page = try context.store.notifications.deliveries(
                webhookID: id,
                accountID: caller.account.id,
                after: after,
                limit: limit + 1
            )
        else { throw APIError.notFound("The webhook") }
        let shown = Array(page.prefix(limit))
        let next: JSONValue = page.count > limit ? .string(shown.last?.id.uuidString.lowercased()) : .null
        return JSONResponse(.ok, ["deliveries": .array(shown.map(JSONValue.delivery)), "next_after": next])
    }

    private static func sendTest(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let (caller, webhook) = try owned(request, context)
        let now = context.now
        if let wait = try context.store.rateLimits.hit(
            bucket: "webhook-test:\(caller.account.id.uuidString.lowercased())",
            at: now,
            window: testWindow,
            limit: testsPerWindow
        ) {
            throw APIError(
                .tooManyRequests,
                "too-many-test-events",
                title: "Too many test events",
                detail: "This account may send \(testsPerWindow) test events an hour; retry in \(wait) seconds.",
                headers: [.retryAfter: String(wait)]
            )
        }
        guard
            let delivery = try context.store.notifications.enqueueTest(
                webhookID: webhook.id,
                accountID: caller.account.id,
                at: now
            )
        else { throw APIError.notFound("The webhook") }
        return JSONResponse(.accepted, .delivery(delivery))
    }
}
