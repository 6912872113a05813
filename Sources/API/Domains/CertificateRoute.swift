import HTTPCore
import JSON
import MTASTS
import Store

/// `GET /v1/domains/{name}/certificate`: what the worker reports about `mta-sts.<domain>`'s certificate;
/// `POST …/certificate/retry`: order again after the worker stopped on repeated failures.
enum CertificateRoute {
    static func register(on router: inout Router) {
        router.get("/v1/domains/{name}/certificate") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            return try describe(domain, context)
        }
        router.post(
            "/v1/domains/{name}/certificate/retry",
            audit: .recorded("certificate.retry", target: .parameter("name"))
        ) { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            guard try context.store.certificates.resumeOrdering(domainID: domain.id) else {
                throw APIError(
                    .conflict,
                    "certificate-not-stopped",
                    title: "Certificate orders are not stopped",
                    detail:
                        "The platform is not waiting for you on \(domain.domainName.policyHost); it orders by itself."
                )
            }
            try context.store.jobs(workerID: "api").enqueue(kind: .issueCertificate, domainID: domain.id)
            return try describe(domain, context)
        }
    }

    private static func describe(_ domain: DomainRecord, _ context: RequestContext) throws -> JSONResponse {
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
