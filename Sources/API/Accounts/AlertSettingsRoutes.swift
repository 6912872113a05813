import HTTPCore
import JSON
import Store

/// `GET|PUT /v1/account/alerts`: where the account's alerts go besides its webhooks (`/v1/webhooks`): e-mail to up to
/// five addresses through the operator's relay.
enum AlertSettingsRoutes {
    /// Most alert addresses per account.
    static let maximumRecipients = 5

    static func register(on router: inout Router) {
        router.get("/v1/account/alerts") { request, context in
            let caller = try context.authenticate(request)
            return JSONResponse(.ok, try describe(caller, context))
        }
        router.put("/v1/account/alerts", audit: .recorded("account.alerts_update", target: .none)) { request, context in
            let caller = try context.authenticate(request)
            try RequestBody.requireJSON(request)
            var fields = try JSONFields(body: request.body, allowed: ["email_recipients"])
            let recipients = fields.strings("email_recipients", maxCount: maximumRecipients, maxLength: 254) ?? []
            var normalised: [String] = []
            for (index, address) in recipients.enumerated() {
                if let problem = EmailAddress.problem(with: address) {
                    fields.fail("email_recipients[\(index)]", rule: "email", problem)
                } else if !normalised.contains(address.lowercased()) {
                    normalised.append(address.lowercased())
                }
            }
            try fields.finish()
            guard normalised.isEmpty || context.environment.alertMailAvailable else {
                throw APIError(
                    .conflict,
                    "alert-email-unavailable",
                    title: "Alert e-mail is not available",
                    detail: "This platform has no mail relay configured (MTASTS_SMTP_URL); use a webhook instead."
                )
            }
            try context.store.accounts.setAlertEmailRecipients(accountID: caller.account.id, normalised)
            return JSONResponse(.ok, try describe(caller, context))
        }
    }

    private static func describe(_ caller: Authenticated, _ context: RequestContext) throws -> JSONValue {
        let recipients = try context.store.accounts.alertEmailRecipients(accountID: caller.account.id)
        let recent = try context.store.emailDeliveries(workerID: "api").recent(accountID: caller.account.id, limit: 10)
        return [
            "email_available": .bool(context.environment.alertMailAvailable),
            "email_recipients": .array(recipients.map(JSONValue.string)),
            "recent_email": .array(
                recent.map { entry in
                    [
                        "created_at": .date(entry.createdAt), "event_type": .string(entry.eventType),
                        "status": .string(entry.status), "error": .string(entry.error),
                    ]
                }
            ),
        ]
    }
}
