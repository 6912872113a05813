package import DNS
package import Foundation
package import Logging
import MTASTS
package import Store

/// Handles `check_sts_record` jobs: resolves `_mta-sts.<domain>` through the configured resolvers, compares
/// the id with the current policy's and records the verdict on the domain (drift, for tenants who keep the
/// TXT record themselves).
package struct STSRecordChecker: Sendable {
    private let store: DataStore
    private let dns: DNSClient
    /// The platform's zone, when it runs one (`MTASTS_DNS_ZONE`).
    private let zone: String?
    private let logger: Logger

    package init(store: DataStore, dns: DNSClient, zone: String?, logger: Logger) {
        self.store = store
        self.dns = dns
        self.zone = zone
        self.logger = logger
    }

    package func handle(domainID: UUID, now: Date = Date()) -> JobOutcome {
        do {
            guard let domain = try store.certificates.servedDomain(id: domainID, at: now),
                let policy = try store.policies.current(domainID: domainID)
            else { return .done }
            let check = STSRecordVerdict.evaluate(
                observe(domain.domainName.stsRecordName),
                domain: domain.name,
                currentID: policy.policyID,
                delegationTarget: zone.map { "\(domain.dnsLabel)._mta-sts.\($0)" },
                at: now
            )
            try store.stsRecords.record(
                domainID: domainID,
                check: check,
                nextCheckAt: STSRecordVerdict.nextCheck(after: check)
            )
            if check.status != .current && check.status != .delegated {
                logger.info("_mta-sts record drift", ["domain": domain.name, "status": check.status.rawValue])
            }
            return .done
        } catch {
            return .retry(
                at: now.addingTimeInterval(30),
                error: "\(error)",
                countsAsAttempt: !DataStore.isUnavailable(error)
            )
        }
    }

    private func observe(_ name: String) -> STSRecordVerdict.Observation {
        guard let queryName = try? DNSName(name) else {
            return .init(cnameTarget: nil, txtRecords: nil, failure: "invalid name")
        }
        var cname: String?
        if case .answer(let records, _) = dns.query(queryName, type: .cname) {
            for record in records {
                if case .cname(let target) = record.data { cname = target.description }
            }
        }
        switch dns.query(queryName, type: .txt) {
        case .answer(let records, _):
            let txt = records.compactMap { record -> [String]? in
                if case .txt(let txt) = record.data { return txt.texts }
                return nil
            }
            return .init(cnameTarget: cname, txtRecords: txt)
        case .nxdomain, .noData:
            return .init(cnameTarget: cname, txtRecords: [])
        case .serverFailure(let code):
            return .init(cnameTarget: cname, txtRecords: nil, failure: "the resolver answered \(code)")
        case .timeout:
            return .init(cnameTarget: cname, txtRecords: nil, failure: "the resolver did not answer")
        case .networkError(let message):
            return .init(cnameTarget: cname, txtRecords: nil, failure: message)
        }
    }
}
