import Foundation
import Store

/// A domain with what its JSON shows beyond its own row: the setup checklist and the worker's last look.
struct DomainView {
    var domain: DomainRecord
    var setup: DomainSetup
    var check: DomainCheckRecord?

    /// The views of `domains`, with three queries for the whole page (policies, certificate states, checks).
    static func load(_ domains: [DomainRecord], context: RequestContext) throws -> [DomainView] {
        let ids = domains.map(\.id)
        let policies = try context.store.policies.current(domainIDs: ids)
        let certificates = try context.store.certificates.states(domainIDs: ids)
        let checks = try context.store.domainChecks.find(domainIDs: ids)
        return domains.map { domain in
            DomainView(
                domain: domain,
                setup: DomainSetup(
                    .init(
                        domain: domain,
                        policy: policies[domain.id],
                        certificate: certificates[domain.id],
                        check: checks[domain.id],
                        edgeHostname: context.environment.edgeHostname,
                        zone: context.environment.dnsZone,
                        ownershipGrace: context.environment.ownershipGrace
                    )
                ),
                check: checks[domain.id]
            )
        }
    }

    /// The view of one domain.
    static func load(_ domain: DomainRecord, context: RequestContext) throws -> DomainView {
        try load([domain], context: context)[0]
    }
}
