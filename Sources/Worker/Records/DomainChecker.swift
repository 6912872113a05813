package import DNS
package import Foundation
import HTTPCore
package import Logging
import MTASTS
package import Store
import SystemIO
package import WebClient

/// Handles `check_domain` jobs: looks at a served domain from the outside, through the configured resolvers,
/// as a sender does: `_mta-sts.<domain>` against the current id (drift for tenants who keep the TXT),
/// `_smtp._tls.<domain>`, and the policy fetched over HTTPS against the current text. The verdicts go to
/// `domain_checks`, where the API's setup checklist reads them.
///
/// It also re-checks that the tenant still controls the domain: the ownership TXT record, the `mta-sts` CNAME
/// to the edge, or the current policy served through us all count. When none has been seen for the grace period,
/// the domain is offboarded as lost and its name can be proven by someone else (an old owner cannot keep a
/// domain, and block its real owner, for the life of the account).
package struct DomainChecker: Sendable {
    /// How the checker reaches the outside world.
    package struct Settings: Sendable {
        /// The platform's zone, when it runs one (`MTASTS_DNS_ZONE`).
        package var zone: String?
        /// The port policies are fetched from (443; tests run edges elsewhere).
        package var httpsPort: UInt16

        /// The name tenants CNAME `mta-sts.<domain>` to.
        package var edgeHostname: String
        /// How long control may stay missing before the domain is offboarded as lost.
        package var ownershipGrace: TimeInterval

        /// Seven days.
        package static let defaultOwnershipGrace: TimeInterval = 7 * 86_400

        package init(
            zone: String?,
            httpsPort: UInt16 = 443,
            edgeHostname: String,
            ownershipGrace: TimeInterval = defaultOwnershipGrace
        ) {
            self.zone = zone
            self.httpsPort = httpsPort
            self.edgeHostname = edgeHostname
            self.ownershipGrace = ownershipGrace
        }
    }

    private let store: DataStore
    private let dns: DNSClient
    private let client: HTTPClient
    private let settings: Settings
    private let logger: Logger

    /// - Parameter client: fetches policies; it resolves names through the same resolvers and trusts the
    ///   roots senders trust (`MTASTS_CHECK_CA_BUNDLE`, else the system's).
    package init(store: DataStore, dns: DNSClient, client: HTTPClient, settings: Settings, logger: Logger) {
        self.store = store
        self.dns = dns
        self.client = client
        self.settings = settings
        self.logger = logger
    }

    package func handle(domainID: UUID, now: Date = Date()) -> JobOutcome {
        do {
            guard let domain = try store.certificates.servedDomain(id: domainID, at: now),
                let policy = try store.policies.current(domainID: domainID)
            else { return .done }
            let name = domain.domainName
            let sts = STSRecordVerdict.evaluate(
                observe(name.stsRecordName),
                domain: domain.name,
                currentID: policy.policyID,
                delegationTarget: settings.zone.map { "\(domain.dnsLabel)._mta-sts.\($0)" }
            )
            let tlsrpt = TLSRPTRecordVerdict.evaluate(
                observe(name.tlsrptRecordName),
                domain: domain.name,
                delegationTarget: settings.zone.map { "\(domain.dnsLabel)._smtp._tls.\($0)" }
            )
            let fetch = PolicyFetchVerdict.evaluate(
                fetchPolicy(name.policyHost),
                host: name.policyHost,
                currentText: policy.text
            )
            let control = try store.domains.recordControl(
                domainID: domainID,
                found: controlFound(domain, fetch: fetch.status),
                at: now,
                grace: settings.ownershipGrace
            )
            switch control {
            case .lost:
                logger.warning(
                    "no sign of the tenant's control through the grace period; the domain is offboarded as lost",
                    ["domain": domain.name]
                )
                return .done
            case .missing(let since):
                logger.info(
                    "no sign of the tenant's control",
                    ["domain": domain.name, "since": since.formatted(.iso8601)]
                )
            case .unchanged:
                break
            }
            var next = Self.nextCheck(sts: sts.status, fetch: fetch.status, at: now)
            if case .missing(let since) = control {
                next = min(next, max(now.addingTimeInterval(60), since.addingTimeInterval(settings.ownershipGrace)))
            }
            let check = DomainCheckRecord(
                stsRecord: sts.status,
                publishedID: sts.publishedID,
                stsRecordDetail: sts.detail,
                tlsrptRecord: tlsrpt.status,
                tlsrptRecordDetail: tlsrpt.detail,
                policyFetch: fetch.status,
                policyFetchDetail: fetch.detail,
                checkedAt: now,
                nextCheckAt: next
            )
            try store.domainChecks.record(domainID: domainID, check)
            if sts.status != .current && sts.status != .delegated || fetch.status != .served {
                logger.info(
                    "domain check found problems",
                    ["domain": domain.name, "sts_record": sts.status.rawValue, "policy_fetch": fetch.status.rawValue]
                )
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

    /// When to look again: soon while something is wrong or unknown, rarely while all is well.
    package static func nextCheck(sts: STSRecordStatus, fetch: PolicyFetchStatus, at now: Date) -> Date {
        switch (sts, fetch) {
        case (.current, .served), (.delegated, .served): now.addingTimeInterval(6 * 3600)
        case (.unknown, _): now.addingTimeInterval(60)
        default: now.addingTimeInterval(600)
        }
    }

    /// Whether the tenant still controls `domain`: true when the ownership TXT record holds its token, the
    /// `mta-sts` host is a CNAME to the edge, or the edge serves the current policy there; false when the lookups
    /// answered and none holds; nil when a lookup failed.
    private func controlFound(_ domain: DomainRecord, fetch: PolicyFetchStatus) -> Bool? {
        if fetch == .served { return true }
        guard let txtName = try? DNSName(domain.verificationRecordName),
            let host = try? DNSName(domain.domainName.policyHost), let edge = try? DNSName(settings.edgeHostname)
        else { return nil }
        var definitive = true
        switch dns.query(txtName, type: .txt) {
        case .answer(let records, _):
            let texts = records.compactMap { record -> String? in
                if case .txt(let txt) = record.data { return txt.joinedText }
                return nil
            }
            if texts.contains(domain.verificationToken) { return true }
        case .nxdomain, .noData: break
        case .serverFailure, .timeout, .networkError: definitive = false
        }
        switch dns.query(host, type: .cname) {
        case .answer(let records, _):
            for record in records {
                if case .cname(let target) = record.data, target == edge { return true }
            }
        case .nxdomain, .noData: break
        case .serverFailure, .timeout, .networkError: definitive = false
        }
        return definitive ? false : nil
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

    private func fetchPolicy(_ host: String) -> PolicyFetchVerdict.Observation {
        let port = settings.httpsPort == 443 ? "" : ":\(settings.httpsPort)"
        do {
            let response = try client.send(try ClientRequest(url: "https://\(host)\(port)/.well-known/mta-sts.txt"))
            return .response(status: response.status.code, body: response.bodyText)
        } catch {
            return .failed("\(error)")
        }
    }
}
