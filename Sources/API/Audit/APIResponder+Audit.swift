import Foundation
import HTTPCore
import JSON
import Logging
import Store

extension APIResponder {
    /// Writes the audit entry of a state-changing request that succeeded.
    ///
    /// The handler's change has already committed in its own transaction (repositories lease a connection per
    /// call, and a request may commit rate-limit hits it must keep even when it fails), so the entry is written
    /// right after it. A failure to write it is logged with the whole entry and does not turn the answer into a
    /// 500: the change happened, and a client retrying it would do it twice.
    func record(
        _ audit: RouteAudit,
        route: Router.Route,
        request: HTTPRequest,
        context: RequestContext,
        result: any ResponseGenerator
    ) {
        guard case .recorded(let action, let declared) = audit else { return }
        guard let actor = context.audit.actor else {
            context.logger.error("audit entry without an actor", ["action": action, "route": route.template])
            return
        }
        let target: String? =
            context.audit.target
            ?? {
                switch declared {
                case .none: nil
                case .parameter(let name): context.parameters[name]
                case .responseField(let name): (result as? JSONResponse)?.body[name]?.stringValue
                }
            }()
        let entry = AuditEntry(
            accountID: actor.accountID,
            actor: actor.kind,
            actorDetail: actor.detail,
            action: action,
            target: target,
            requestID: context.requestID,
            sourceAddress: request.clientAddress,
            at: context.now,
            details: context.audit.details
        )
        do {
            try context.store.auditLog.record(entry)
        } catch {
            context.logger.error(
                "audit entry not written",
                [
                    "error": "\(error)", "action": action, "account_id": actor.accountID.uuidString,
                    "actor": "\(actor.kind.rawValue):\(actor.detail)", "target": target ?? "",
                    "source_address": request.clientAddress,
                ]
            )
        }
    }
}
