import DNS
import Dispatch
import Foundation
import SMTPClient
import Synchronization
import TLS

// MARK: - Mail path: each MX host over SMTP, as a sender meets it (RFC 8461 §4.1)

extension CheckEngine {
    /// Probes the most preferred MX hosts in parallel (EHLO, STARTTLS, handshake, certificate, QUIT; never a
    /// message) and looks for their TLSA records.
    func probeFindings(_ hosts: [String]) -> [CheckFinding] {
        let probed = Array(hosts.prefix(settings.maximumProbedMXHosts))
        guard !probed.isEmpty else { return [] }
        let results = Mutex<[Int: [CheckFinding]]>([:])
        DispatchQueue.concurrentPerform(iterations: probed.count) { index in
            let host = probed[index]
            let findings = Self.findings(for: smtpProbe.probe(host: host), port: settings.smtpPort) + daneFindings(host)
            results.withLock { $0[index] = findings }
        }
        let byIndex = results.withLock { $0 }
        return probed.indices.flatMap { byIndex[$0] ?? [] }
    }

    /// `mx-dane-present` when `_25._tcp.<host>` has TLSA records.
    private func daneFindings(_ host: String) -> [CheckFinding] {
        let name = "_25._tcp.\(host)"
        guard let queryName = try? DNSName(name), case .answer(let records, _) = dns.query(queryName, type: .tlsa),
            !records.isEmpty
        else { return [] }
        return [
            CheckFinding(
                .mxDANEPresent,
                .info,
                "\(host) publishes TLSA records at \(name): senders that support DANE (RFC 7672) use them instead of "
                    + "MTA-STS when the zone is signed.",
                fix: "Nothing to do; keep the TLSA records in step with the certificate when it is renewed.",
                details: [.string("mx_host", host), .integer("records", records.count)]
            )
        ]
    }

    /// The findings for one probed host.
    static func findings(for result: SMTPProbeResult, port: UInt16) -> [CheckFinding] {
        let host = result.host
        var base: [CheckDetail] = [.string("mx_host", host)]
        if let certificate = result.tls?.certificate {
            base.append(.strings("certificate_names", certificate.dnsNames))
            if let notAfter = certificate.notAfter {
                base.append(
                    .string("not_after", Date(timeIntervalSince1970: TimeInterval(notAfter)).formatted(.iso8601))
                )
            }
        }
        return result.issues.map { issue in
            switch issue {
            case .unreachable(let failure):
                return CheckFinding(
                    .mxUnreachable,
                    .error,
                    "The MX host \(host) could not be reached over SMTP on port \(port): \(failure). Senders try "
                        + "the next MX host, or queue the mail.",
                    fix: "Make sure \(host) resolves and accepts SMTP connections on port \(port) from the internet.",
                    details: base + [.string("reason", failure.description)]
                )
            case .startTLSMissing(let reply):
                return CheckFinding(
                    .mxStartTLSMissing,
                    .error,
                    "The MX host \(host) does not offer STARTTLS"
                        + (reply.map { " (it answered \"\($0)\")" } ?? "")
                        + ": senders that apply an enforce policy cannot deliver to it.",
                    fix: "Enable STARTTLS on \(host) with a certificate for its name from a public CA.",
                    details: base
                )
            case .tlsVersionTooOld(let negotiated):
                return CheckFinding(
                    .mxTLSVersion,
                    .error,
                    "The MX host \(host) offers no TLS 1.2 or newer"
                        + (negotiated.map { " (it negotiated \($0) when offered only old versions)" } ?? "")
                        + ": senders refuse to use it under MTA-STS.",
                    fix: "Enable TLS 1.2 and 1.3 on \(host) (RFC 8996 deprecates 1.0 and 1.1).",
                    details: base + (negotiated.map { [.string("negotiated", $0)] } ?? [])
                )
            case .tlsHandshakeFailed(let failure):
                return CheckFinding(
                    .mxCertInvalid,
                    .error,
                    "The TLS handshake with the MX host \(host) failed (\(failure)): no sender can establish TLS.",
                    fix: "Configure TLS on \(host) with a certificate for its name and the usual ciphers.",
                    details: base + [.string("reason", failure.description)]
                )
            case .certificateInvalid(let failure):
                let reason = failure?.reason ?? "no certificate presented"
                let fix =
                    failure?.kind == .expired
                    ? "Renew the certificate of \(host)."
                    : "Serve a certificate for \(host) from a public CA, with its intermediate certificates."
                return CheckFinding(
                    .mxCertInvalid,
                    .error,
                    "The certificate of the MX host \(host) does not verify (\(reason)): senders that apply an enforce "
                        + "policy do not deliver to it (RFC 8461 §4.1).",
                    fix: fix,
                    details: base + [.string("reason", reason)]
                )
            case .certificateNameMismatch(_, let names):
                return CheckFinding(
                    .mxCertNameMismatch,
                    .error,
                    "The certificate of the MX host \(host) names "
                        + (names.isEmpty ? "no DNS name" : names.joined(separator: ", "))
                        + ", not \(host): senders match the MX host against the certificate's DNS names only "
                        + "(no CN, a wildcard covers one label; RFC 8461 §4.1).",
                    fix: "Serve a certificate whose subjectAltName includes \(host) (or *. and the rest of its name).",
                    details: base
                )
            }
        }
    }
}
