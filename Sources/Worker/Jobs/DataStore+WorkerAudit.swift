import Foundation
import Logging
import Store

extension DataStore {
    /// Records something the worker did on the domain's tenant's behalf, right after it happened (the change has
    /// committed). A failure to record is logged with the entry and does not undo or retry the work.
    func recordWorkerAction(
        _ action: String,
        domain: DomainRecord,
        at now: Date,
        details: [String: String] = [:],
        logger: Logger
    ) {
        let entry = AuditEntry.worker(
            accountID: domain.accountID,
            action: action,
            target: domain.name,
            at: now,
            details: details.mapValues { String($0.prefix(300)) }
        )
        do {
            try auditLog.record(entry)
        } catch {
            logger.error(
                "audit entry not written",
                [
                    "action": action, "domain": domain.name, "account_id": domain.accountID.uuidString,
                    "error": "\(error)",
                ]
            )
        }
    }
}
