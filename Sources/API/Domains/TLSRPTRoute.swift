import HTTPCore
import JSON
import MTASTS
import Store
import TLSReporting

/// `GET|PUT /v1/domains/{name}/tlsrpt`: where senders send the domain's TLS reports (RFC 8460 §3 `rua`).
///
/// With the platform's DNS zone configured, the tenant can CNAME `_smtp._tls.<domain>` to the domain's
/// `<label>._smtp._tls.<zone>` and the zone serves `v=TLSRPTv1; rua=…` from these addresses; without it the
/// tenant publishes the same record itself.
enum TLSRPTRoute {
    /// Most reporting URIs kept per domain (the column's CHECK allows 10).
    static let maximumURIs = 10

    static func register(on router: inout Router) {
        router.get("/v1/domains/{name}/tlsrpt") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            return JSONResponse(.ok, json(domain, context.environment))
        }
        router.put("/v1/domains/{name}/tlsrpt", audit: .recorded("tlsrpt.update", target: .parameter("name"))) {
            request,
            context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            let rua = try readRUA(request)
            let updated = try context.store.domains.setTLSRPT(domainID: domain.id, rua: rua, at: context.now)
            return JSONResponse(.ok, json(updated, context.environment))
        }
    }

    /// Reads and validates `{rua: [uri, …]}`: `mailto:` or `https:` URIs per RFC 8460 §3, no duplicates; an
    /// empty list removes the addresses.
    static func readRUA(_ request: HTTPRequest) throws -> [String] {
        try RequestBody.requireJSON(request)
        var fields = try JSONFields(body: request.body, allowed: ["rua"])
        let uris = fields.strings("rua", maxCount: maximumURIs, maxLength: 1000) ?? []
        var seen: Set<String> = []
        for (index, uri) in uris.enumerated() {
            do {
                try TLSRPTRecord.validateURI(uri)
            } catch {
                fields.fail("rua[\(index)]", rule: "tlsrpt_uri", error.message)
            }
            if !seen.insert(uri.lowercased()).inserted {
                fields.fail("rua[\(index)]", rule: "duplicate", "This address is already in the list.")
            }
        }
        try fields.finish()
        return uris
    }

    /// The tenant's addresses, the platform's (which the reports views read), the record they make together, and
    /// (with the platform's zone) the name to CNAME to.
    static func json(_ domain: DomainRecord, _ environment: APIEnvironment) -> JSONValue {
        let reporting = environment.reporting
        return [
            "domain": .string(domain.name),
            "rua": .array(domain.tlsrptRUA.map(JSONValue.string)),
            "platform_rua": .array(reporting.uris(token: domain.reportToken).map(JSONValue.string)),
            "record": .string(reporting.record(token: domain.reportToken, tenant: domain.tlsrptRUA)),
            "delegation_target": .string(
                environment.dnsZone.map { DelegatedNames.tlsrpt(label: domain.dnsLabel, zone: $0) }
            ),
        ]
    }
}
