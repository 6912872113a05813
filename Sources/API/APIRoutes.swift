/// The table of contents of the API: every resource registers its routes here (documented in
/// `docs/openapi.yaml`, which a test keeps in step with this list).
enum APIRoutes {
    static func register(on router: inout Router) {
        AccountRoutes.register(on: &router)
        SessionRoutes.register(on: &router)
        TokenRoutes.register(on: &router)
        DomainRoutes.register(on: &router)
        VerificationRoute.register(on: &router)
        PolicyRoutes.register(on: &router)
        DNSRecordsRoute.register(on: &router)
        CertificateRoute.register(on: &router)
        TLSRPTRoute.register(on: &router)
        CheckRoutes.register(on: &router)
        ReportRoutes.register(on: &router)
        MXChangeRoutes.register(on: &router)
        MXPresetRoute.register(on: &router)
        AlertSettingsRoutes.register(on: &router)
        WebhookRoutes.register(on: &router)
        AuditLogRoute.register(on: &router)
    }
}
