import DNS
import Foundation
import HTTPCore
import MTASTS
import TLS
import WebClient

// MARK: - HTTPS: the policy as a sender fetches it (RFC 8461 §3.3)

extension CheckEngine {
    /// Days before a certificate's expiry from which it is reported.
    static let certificateWarningDays = 14

    /// Fetches `https://mta-sts.<domain>/.well-known/mta-sts.txt` and judges the transport, the response and the
    /// policy text.
    func policySection(_ domain: DomainName, hosted: HostedDomainExpectation?, now: Date) -> SectionResult {
        var result = SectionResult()
        let host = domain.policyHost
        let port = settings.httpsPort == 443 ? "" : ":\(settings.httpsPort)"
        let url = "https://\(host)\(port)/.well-known/mta-sts.txt"
        let response: ClientResponse
        do {
            response = try policyClient.send(try ClientRequest(url: url))
        } catch let error as HTTPClientError {
            result.fetch = .failed(error.message)
            result.findings = fetchFailure(error, host: host, url: url)
            return result
        } catch {
            result.fetch = .failed("\(error)")
            result.findings = [fetchFailed(url: url, reason: "other", detail: "\(error)")]
            return result
        }
        result.fetch = .response(status: response.status.code, body: response.bodyText)
        result.findings += certificateFindings(response.tls, host: host, now: now)
        guard response.status.code == 200 else {
            result.findings.append(statusFinding(response, url: url))
            return result
        }
        if let finding = contentTypeFinding(response, url: url) { result.findings.append(finding) }
        let (policy, syntax) = Self.judgeSyntax(response.bodyText, url: url)
        result.policy = policy
        result.findings += syntax
        if let policy = policy ?? Self.lenientPolicy(response.bodyText) {
            result.findings += ageFindings(policy, hosted: hosted, now: now)
        }
        return result
    }

    // MARK: Transport

    private func fetchFailure(_ error: HTTPClientError, host: String, url: String) -> [CheckFinding] {
        if let verification = error.verification {
            return [certificateInvalid(verification, host: host)]
        }
        if error.code == .tlsFailed, let tls = error.underlying as? TLSError, tls.isProtocolVersionMismatch {
            return [
                CheckFinding(
                    .policyTLSVersion,
                    .error,
                    "\(host) offers no TLS version senders accept (1.2 or newer): the handshake failed with "
                        + "\"\(tls)\".",
                    fix: "Enable TLS 1.2 and 1.3 on the web server of \(host) (RFC 8996 deprecates 1.0 and 1.1).",
                    details: [.string("host", host)]
                )
            ]
        }
        if error.code == .bodyTooLarge {
            return [
                CheckFinding(
                    .policyTooLarge,
                    .error,
                    "The policy at \(url) is larger than \(Self.maximumPolicyBytes / 1024) KiB; senders refuse "
                        + "bodies that large.",
                    fix: "Serve only the policy text (version, mode, mx lines, max_age) at \(url).",
                    details: [.string("url", url), .integer("limit_bytes", Self.maximumPolicyBytes)]
                )
            ]
        }
        if error.code == .resolutionFailed, let failure = addressLookupFailure(host) {
            // The client sees "no address" either way; a lookup that failed is not a missing record.
            return [
                fetchFailed(
                    url: url,
                    reason: "dns",
                    detail: "the address lookup of \(host) failed: \(failure)",
                    fix: Self.lookupFix(host, reason: failure)
                )
            ]
        }
        let reason: String
        switch error.code {
        case .resolutionFailed: reason = "dns"
        case .connectFailed: reason = "connect"
        case .tlsFailed: reason = "tls"
        case .timeout: reason = "timeout"
        default: reason = "http"
        }
        return [fetchFailed(url: url, reason: reason, detail: error.message)]
    }

    /// Why looking up `host`'s address failed, when it did (rather than finding no address).
    private func addressLookupFailure(_ host: String) -> String? {
        guard let name = try? DNSName(host) else { return nil }
        switch dns.query(name, type: .a) {
        case .answer, .nxdomain, .noData: return nil
        case let failure: return Self.describe(failure)
        }
    }

    /// A `policy-fetch-failed` finding; `fix` defaults to the usual remedy for `reason`.
    private func fetchFailed(url: String, reason: String, detail: String, fix: String? = nil) -> CheckFinding {
        let fix = fix ?? Self.fetchFix(reason: reason, url: url, port: settings.httpsPort)
        return CheckFinding(
            .policyFetchFailed,
            .error,
            "The policy could not be fetched from \(url) (\(reason)): \(detail). Senders treat the domain as having "
                + "no valid policy.",
            fix: fix,
            details: [.string("url", url), .string("reason", reason), .string("error", detail)]
        )
    }

    private static func fetchFix(reason: String, url: String, port: UInt16) -> String {
        switch reason {
        case "dns": "Publish the policy host's record (for a hosted domain, the CNAME to the platform's edge)."
        case "connect", "timeout": "Make the web server behind the policy host reachable on port \(port)."
        case "tls": "Serve the policy host over TLS 1.2 or newer with a certificate for its name."
        default: "Serve the policy with a plain HTTP/1.1 200 response at \(url)."
        }
    }

    private func certificateInvalid(_ failure: TLSVerificationFailure, host: String) -> CheckFinding {
        let (problem, fix): (String, String)
        switch failure.kind {
        case .expired:
            problem = "has expired"
            fix = "Renew the certificate of \(host)."
        case .notYetValid:
            problem = "is not valid yet"
            fix = "Serve a certificate of \(host) that is valid now (check the server's clock)."
        case .nameMismatch:
            problem = "does not name \(host)"
            fix = "Serve a certificate whose subjectAltName includes \(host)."
        case .selfSigned, .untrustedIssuer:
            problem = "does not chain to a trusted root (\(failure.reason))"
            fix = "Serve a certificate from a public CA, with its intermediate certificates."
        case .other:
            problem = "was rejected (\(failure.reason))"
            fix = "Serve a valid certificate of \(host) from a public CA."
        }
        return CheckFinding(
            .policyCertInvalid,
            .error,
            "The certificate of \(host) \(problem): senders refuse to fetch the policy.",
            fix: fix,
            details: [.string("host", host), .string("reason", failure.reason)]
        )
    }

    private func certificateFindings(_ tls: ClientTLSDetails?, host: String, now: Date) -> [CheckFinding] {
        guard let certificate = tls?.peerCertificate, let notAfter = certificate.notAfterSeconds else { return [] }
        let expiry = Date(timeIntervalSince1970: TimeInterval(notAfter))
        let days = Int(expiry.timeIntervalSince(now) / 86_400)
        guard days < Self.certificateWarningDays else { return [] }
        return [
            CheckFinding(
                .policyCertExpiring,
                .warning,
                "The certificate of \(host) expires in \(days) day\(days == 1 ? "" : "s") (\(expiry.formatted(.iso8601))).",
                fix: "Renew it now; for a hosted domain the platform renews it when the CNAME and CAA allow it.",
                details: [
                    .string("host", host), .string("not_after", expiry.formatted(.iso8601)),
                    .integer("days_left", days),
                ]
            )
        ]
    }

    // MARK: Response

    private func statusFinding(_ response: ClientResponse, url: String) -> CheckFinding {
        let status = response.status.code
        if (300..<400).contains(status) {
            let location = response.headers[.location] ?? "(no Location)"
            return CheckFinding(
                .policyRedirect,
                .error,
                "\(url) answers \(status) and redirects to \(location); senders must not follow redirects "
                    + "(RFC 8461 §3.3), so they find no policy.",
                fix: "Serve the policy itself at \(url) with status 200.",
                details: [.string("url", url), .integer("status", status), .string("location", location)]
            )
        }
        return CheckFinding(
            .policyStatus,
            .error,
            "\(url) answers HTTP \(status) instead of 200 with the policy.",
            fix: "Serve the policy at \(url) with status 200.",
            details: [.string("url", url), .integer("status", status)]
        )
    }

    private func contentTypeFinding(_ response: ClientResponse, url: String) -> CheckFinding? {
        let value = response.headers[.contentType] ?? ""
        let mediaType = value.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard mediaType != "text/plain" else { return nil }
        return CheckFinding(
            .policyContentType,
            .error,
            "\(url) is served as \(value.isEmpty ? "no media type" : "\"\(value)\""), not text/plain "
                + "(RFC 8461 §3.3); strict senders reject it.",
            fix: "Serve the policy with Content-Type: text/plain.",
            details: [.string("url", url), .string("content_type", value)]
        )
    }

    // MARK: Policy text

    /// The strict verdict (RFC 8461 §3.2's grammar) and, when it fails, the lenient one (what forgiving senders
    /// accept: blank lines, stray white space, any case of known keys, a byte order mark).
    static func judgeSyntax(_ text: String, url: String) -> (Policy?, [CheckFinding]) {
        do {
            return (try Policy(parsing: text), [])
        } catch {
            let strict = "rejected: \(error.message)" + (error.line.map { " (line \($0))" } ?? "")
            let lenient: String
            do {
                _ = try Policy(parsing: Self.normalizedLeniently(text))
                lenient = "accepted"
            } catch let lenientError {
                lenient = "rejected: \(lenientError.message)"
            }
            let both =
                lenient == "accepted" ? "Lenient senders accept it, strict ones ignore it." : "All senders ignore it."
            return (
                nil,
                [
                    CheckFinding(
                        .policySyntax,
                        .error,
                        "The policy at \(url) is invalid: \(error.message)" + (error.line.map { " (line \($0))" } ?? "")
                            + ". \(both)",
                        fix: "Serve exactly these lines, each ending in CRLF or LF: version: STSv1, mode: <enforce|"
                            + "testing|none>, one mx: <host or *.domain> per MX, max_age: <seconds>.",
                        details: [
                            .string("url", url), .string("strict_verdict", strict), .string("lenient_verdict", lenient),
                        ]
                    )
                ]
            )
        }
    }

    /// The policy as lenient senders read it, for the age verdicts when the strict parse fails.
    static func lenientPolicy(_ text: String) -> Policy? {
        try? Policy(parsing: normalizedLeniently(text))
    }

    /// Rewrites `text` the way forgiving parsers read it: no byte order mark, any line ending, blank lines
    /// skipped, white space around keys and values trimmed, the known keys in lower case.
    static func normalizedLeniently(_ text: String) -> String {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        let known: Set<String> = ["version", "mode", "mx", "max_age"]
        return body.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let colon = trimmed.firstIndex(of: ":") else { return trimmed }
            let key = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return (known.contains(key.lowercased()) ? key.lowercased() : key) + ": " + value
        }.joined(separator: "\n")
    }

    private func ageFindings(_ policy: Policy, hosted: HostedDomainExpectation?, now: Date) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        let day = 86_400
        if policy.maxAge < day || (policy.mode == .enforce && policy.maxAge < 7 * day) {
            let floor = policy.maxAge < day ? "a day" : "a week in enforce mode"
            findings.append(
                CheckFinding(
                    .policyMaxAgeShort,
                    .warning,
                    "max_age is \(policy.maxAge) seconds, less than \(floor): senders re-fetch often and forget the "
                        + "policy quickly, so an attacker who blocks the fetch for that long defeats it.",
                    fix: "Use a max_age of at least 604800 (a week); RFC 8461 §3.2 suggests weeks or more "
                        + "(e.g. 1209600). Lower it only ahead of an MX change.",
                    details: [.integer("max_age", policy.maxAge), .string("mode", policy.mode.rawValue)]
                )
            )
        }
        if policy.mode == .testing, let since = hosted?.testingSince, now.timeIntervalSince(since) > 30 * 86_400 {
            let days = Int(now.timeIntervalSince(since) / 86_400)
            findings.append(
                CheckFinding(
                    .policyModeTestingLong,
                    .info,
                    "The policy has been in testing for \(days) days: senders report TLS failures but still deliver "
                        + "without TLS when an attacker interferes.",
                    fix: "When the TLS reports show no failures, switch the policy to mode enforce.",
                    details: [.string("testing_since", since.formatted(.iso8601)), .integer("days", days)]
                )
            )
        }
        return findings
    }
}
