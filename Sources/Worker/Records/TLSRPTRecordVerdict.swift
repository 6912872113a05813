package import Checks
import DNS
import MTASTS
package import Store

/// What a domain's own `_smtp._tls.<domain>` publishes (RFC 8460 §3), in words for the tenant. Optional:
/// without a record senders simply send no TLS reports.
package enum TLSRPTRecordVerdict {
    /// The verdict for `domain` from what was found at `_smtp._tls.<domain>`.
    /// - Parameter delegationTarget: `<label>._smtp._tls.<zone>` when the platform runs its zone.
    package static func evaluate(
        _ observation: TXTObservation,
        domain: String,
        delegationTarget: String?
    ) -> (status: TLSRPTRecordStatus, detail: String) {
        let name = "_smtp._tls.\(domain)"
        if let delegationTarget, let target = observation.cnameTarget,
            (try? DNSName(target)) == (try? DNSName(delegationTarget))
        {
            return (.delegated, "\(name) is a CNAME to the platform's zone, which serves the addresses set here.")
        }
        guard let records = observation.txtRecords else {
            return (.unknown, "The lookup of \(name) failed (\(observation.failure ?? "no answer")).")
        }
        switch TLSRPTRecord.discover(txtRecords: records) {
        case .found(let record):
            return (.found, "\(name) sends TLS reports to \(record.rua.joined(separator: ", ")).")
        case .none:
            return (.missing, "No TLS-RPT record at \(name): senders send no reports about failed TLS (optional).")
        case .multiple(let count):
            return (.invalid, "\(name) has \(count) TLS-RPT records and senders ignore them all: keep one.")
        case .invalid(let error):
            return (.invalid, "The record at \(name) is invalid (\(error.message)).")
        }
    }
}
