package import Checks
import DNS
import MTASTS
package import Store

/// Compares what a domain's own `_mta-sts.<domain>` announces with the policy the platform serves, and says
/// exactly what to publish when they disagree. Pure: the lookups are done by ``DomainChecker``.
package enum STSRecordVerdict {
    /// A verdict: the status, the id found, and a sentence for the tenant.
    package struct Result: Sendable, Equatable {
        package var status: STSRecordStatus
        package var publishedID: String?
        package var detail: String
    }

    /// The verdict for `domain` whose current policy id is `currentID`.
    /// - Parameter delegationTarget: `<label>._mta-sts.<zone>` when the platform runs its zone.
    package static func evaluate(
        _ observation: TXTObservation,
        domain: String,
        currentID: String,
        delegationTarget: String?
    ) -> Result {
        let name = "_mta-sts.\(domain)"
        var publish = "publish \(name). TXT \"v=STSv1; id=\(currentID)\""
        if let delegationTarget {
            publish += " (or CNAME \(name). to \(delegationTarget). and ids rotate by themselves)"
        }
        func check(_ status: STSRecordStatus, _ id: String?, _ detail: String) -> Result {
            Result(status: status, publishedID: id, detail: detail)
        }
        if let delegationTarget, let target = observation.cnameTarget,
            (try? DNSName(target)) == (try? DNSName(delegationTarget))
        {
            return check(
                .delegated,
                nil,
                "\(name) is a CNAME to the platform's zone: every new id is announced for you."
            )
        }
        guard let records = observation.txtRecords else {
            return check(
                .unknown,
                nil,
                "The lookup of \(name) failed (\(observation.failure ?? "no answer")); checked again soon."
            )
        }
        switch STSRecord.discover(txtRecords: records) {
        case .found(let record) where record.id.string == currentID:
            return check(.current, record.id.string, "\(name) announces the current id \(currentID).")
        case .found(let record):
            return check(
                .stale,
                record.id.string,
                "\(name) announces id \(record.id.string), but the policy served is \(currentID): senders keep the "
                    + "old policy until it expires; \(publish)."
            )
        case .none:
            return check(.missing, nil, "\(name) has no MTA-STS record, so senders do not use MTA-STS: \(publish).")
        case .multiple(let count):
            return check(
                .multiple,
                nil,
                "\(name) has \(count) MTA-STS records and senders ignore them all: keep one; \(publish)."
            )
        case .invalid(let error):
            return check(.invalid, nil, "The record at \(name) is invalid (\(error.message)): \(publish).")
        }
    }
}
