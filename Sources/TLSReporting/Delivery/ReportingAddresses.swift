/// The platform's own reporting addresses for a domain (RFC 8460 §3 `rua` URIs), from the operator's reports
/// host and mail domain and the domain's token.
///
/// Every `rua` the platform publishes or suggests is these first, then the tenant's own addresses (a sender may
/// use any of them, §3). Tokens are lower-case hex, so the URIs need no percent-encoding.
///
/// ```swift
/// let addresses = ReportingAddresses(httpsHost: "reports.example.net", mailDomain: "reports.example.net")
/// addresses.rua(token: "3f2a…", tenant: ["mailto:tls@example.com"])
/// // ["https://reports.example.net/v1/tlsrpt/3f2a…", "mailto:3f2a…@reports.example.net", "mailto:tls@example.com"]
/// ```
package struct ReportingAddresses: Sendable, Equatable {
    /// `MTASTS_REPORTS_HOSTNAME`, or nil when reports are not taken by HTTPS.
    package var httpsHost: String?
    /// `MTASTS_REPORTS_MAIL_DOMAIN`, or nil when reports are not taken by mail.
    package var mailDomain: String?

    package init(httpsHost: String? = nil, mailDomain: String? = nil) {
        self.httpsHost = httpsHost
        self.mailDomain = mailDomain
    }

    /// Whether the platform takes reports at all.
    package var isEnabled: Bool { httpsHost != nil || mailDomain != nil }

    /// The platform's addresses for `token`.
    package func uris(token: String) -> [String] {
        var uris: [String] = []
        if let httpsHost { uris.append("https://\(httpsHost)/v1/tlsrpt/\(token)") }
        if let mailDomain { uris.append("mailto:\(token)@\(mailDomain)") }
        return uris
    }

    /// The platform's addresses, then the tenant's that are not already among them.
    package func rua(token: String?, tenant: [String]) -> [String] {
        let platform = token.map(uris(token:)) ?? []
        let known = Set(platform.map { $0.lowercased() })
        return platform + tenant.filter { !known.contains($0.lowercased()) }
    }

    /// `v=TLSRPTv1; rua=…` for ``rua(token:tenant:)``, or nil when there is no address (RFC 8460 §3: no spaces
    /// around the commas, which some checkers stop at).
    package func record(token: String?, tenant: [String]) -> String? {
        let all = rua(token: token, tenant: tenant)
        return all.isEmpty ? nil : "v=TLSRPTv1; rua=" + all.joined(separator: ",")
    }
}
