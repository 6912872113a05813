import HTTPCore
import MTASTS
import Store

/// `GET /v1/domains/{name}/certificate`: what the worker reports about `mta-sts.<domain>`'s certificate.
enum CertificateRoute {
    static func register(on router: inout Router) {
        router.get("/v1/domains/{name}/certificate") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            let host = domain.domainName.policyHost
            guard let state = try context.store.certificates.state(domainID: domain.id, host: host) else {
                return JSONResponse(.ok, ["host": .string(host), "status": "not_started"])
            }
            return JSONResponse(
                .ok,
                [
                    "host": .string(host), "status": .string(state.status.rawValue),
                    "last_error": .string(state.lastError),
                    "last_error_at": .date(state.lastErrorAt), "renew_after": .date(state.renewAfter),
                    "not_before": .date(state.notBefore), "not_after": .date(state.notAfter),
                    "issuer": .string(state.issuer),
                    "updated_at": .date(state.updatedAt),
                ]
            )
        }
    }
}
