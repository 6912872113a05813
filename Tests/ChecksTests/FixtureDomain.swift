import Crypto
import DNS
import TestSupport

/// One domain of the check fixtures: a clean MTA-STS deployment under `<label>.example.test`, changed in exactly
/// the way one test needs (a missing record, a redirect, an expired certificate, ...), so each report can be
/// compared with the complete list of findings the change must cause.
///
/// Clean means: `_mta-sts` TXT `v=STSv1; id=<policyID>`, `_smtp._tls` TXT with a mailto rua, `mta-sts.<domain>`
/// CNAME to the edge (`edge.platform.test`, 127.0.0.1), MX `mx1.<domain>` and `in.mail.<domain>`, and nginx
/// serving an enforce policy covering both (`mx1.<domain>`, `*.mail.<domain>`, max_age one week) as text/plain
/// with a certificate from the trusted test CA, valid for 90 days.
///
/// ```swift
/// let expired = FixtureDomain("expired") { $0.certificate = .expired }
/// ```
struct FixtureDomain: Sendable {
    /// The certificate the policy host presents.
    enum Certificate: Sendable {
        /// For `mta-sts.<domain>`, from the trusted CA, valid for 90 days.
        case valid
        /// Valid from 29 days ago until yesterday.
        case expired
        /// For `mta-sts.other.example.test` only.
        case wrongName
        /// From a CA the engine does not trust.
        case untrustedIssuer
        /// Valid for `seconds` more.
        case expiresIn(seconds: Int64)
    }

    /// How the policy host is reached.
    enum Listener: Sendable {
        /// TLS 1.2 and 1.3 on 127.0.0.1 beside every other host.
        case standard
        /// TLS 1.0 and 1.1 only, on an address of its own (versions are negotiated before SNI).
        case legacyTLSOnly(address: String)
        /// Plain HTTP, no TLS, on an address of its own.
        case plainHTTP(address: String)
        /// Nothing serves `mta-sts.<domain>`.
        case none
    }

    /// What the policy URL answers.
    enum Answer: Sendable {
        /// ``FixtureDomain/policyText`` with this Content-Type.
        case policy(contentType: String)
        /// A redirect to `location` with `status`.
        case redirect(status: Int, location: String)
        /// An empty `status` answer.
        case status(Int)
    }

    /// What `mta-sts.<domain>` is in DNS.
    enum PolicyHostRecord: Sendable {
        /// A CNAME to this name.
        case alias(String)
        /// An A record with this address.
        case address(String)
        /// No record at all (the name does not exist).
        case none
    }

    /// The first label, e.g. `clean`.
    let label: String
    /// The id published and served.
    var policyID: String
    /// TXT records at `_mta-sts.<domain>`.
    var stsRecords: [String]
    /// Their TTL.
    var stsTTL: UInt32 = 1
    /// TXT records at the domain itself.
    var apexRecords: [String] = []
    /// TXT records at `_smtp._tls.<domain>`.
    var tlsrptRecords: [String]
    /// TXT records at the draft label `_smtp-tlsrpt.<domain>`.
    var legacyTLSRPTRecords: [String] = []
    /// `mta-sts.<domain>`.
    var policyHost: PolicyHostRecord = .alias(CheckFixtures.edgeHostname)
    /// MX RDATA, e.g. `10 mx1.clean.example.test.`.
    var mx: [String]
    /// CAA RDATA at the domain.
    var caa: [String] = []
    /// The policy host's certificate.
    var certificate = Certificate.valid
    /// How the policy host listens.
    var listener = Listener.standard
    /// What it answers.
    var answer = Answer.policy(contentType: "text/plain; charset=utf-8")
    /// The policy text served (and, for a hosted check, the text the platform serves).
    var policyText: String

    /// The clean deployment of `<label>.example.test`, then `customize`.
    init(_ label: String, _ customize: (inout FixtureDomain) -> Void = { _ in }) {
        self.label = label
        let name = "\(label).example.test"
        policyID = "id" + label.filter { $0.isLetter || $0.isNumber }
        stsRecords = ["v=STSv1; id=\(policyID)"]
        tlsrptRecords = ["v=TLSRPTv1; rua=mailto:tlsrpt@\(name)"]
        mx = ["10 mx1.\(name).", "20 in.mail.\(name)."]
        policyText = Self.policy(mode: "enforce", mx: ["mx1.\(name)", "*.mail.\(name)"], maxAge: 604_800)
        customize(&self)
    }

    /// The domain, `<label>.example.test`.
    var name: String { "\(label).example.test" }
    /// `mta-sts.<domain>`.
    var policyHostName: String { "mta-sts.\(name)" }

    /// A policy as the platform renders it: CRLF line ends, one `mx` line per pattern.
    static func policy(mode: String, mx: [String], maxAge: Int) -> String {
        (["version: STSv1", "mode: \(mode)"] + mx.map { "mx: \($0)" } + ["max_age: \(maxAge)"])
            .map { $0 + "\r\n" }.joined()
    }

    /// The records the domain publishes.
    var records: [DNSTestRecord] {
        var records = stsRecords.map { DNSTestRecord.txt("_mta-sts.\(name)", $0, ttl: stsTTL) }
        records += apexRecords.map { DNSTestRecord.txt(name, $0) }
        records += tlsrptRecords.map { DNSTestRecord.txt("_smtp._tls.\(name)", $0) }
        records += legacyTLSRPTRecords.map { DNSTestRecord.txt("_smtp-tlsrpt.\(name)", $0) }
        records += mx.map { DNSTestRecord(owner: name, type: .mx, value: $0) }
        records += caa.map { DNSTestRecord(owner: name, type: .caa, value: $0) }
        switch policyHost {
        case .alias(let target):
            records.append(DNSTestRecord(owner: policyHostName, type: .cname, value: target + "."))
        case .address(let address):
            records.append(DNSTestRecord(owner: policyHostName, type: .a, value: address))
        case .none:
            break
        }
        return records
    }

    /// The nginx virtual host serving the policy host, or nil when nothing serves it.
    func host(_ authorities: CheckFixtures.Authorities) throws -> NginxTestHost? {
        let now = authorities.now
        let issued: CertificateBuilder.Issued
        switch certificate {
        case .valid:
            issued = try CertificateBuilder.makeLeaf(dnsNames: [policyHostName], issuer: authorities.trusted, now: now)
        case .expired:
            // Issued as if 29 days ago for 28 days: valid from 29 days and an hour ago until yesterday.
            issued = try CertificateBuilder.makeLeaf(
                dnsNames: [policyHostName],
                issuer: authorities.trusted,
                now: now - 29 * 86_400,
                lifetime: 28 * 86_400
            )
        case .wrongName:
            issued = try CertificateBuilder.makeLeaf(
                dnsNames: ["mta-sts.other.example.test"],
                issuer: authorities.trusted,
                now: now
            )
        case .untrustedIssuer:
            issued = try CertificateBuilder.makeLeaf(
                dnsNames: [policyHostName],
                issuer: authorities.untrusted,
                now: now
            )
        case .expiresIn(let seconds):
            issued = try CertificateBuilder.makeLeaf(
                dnsNames: [policyHostName],
                issuer: authorities.trusted,
                now: now,
                lifetime: seconds
            )
        }
        let response: NginxTestHost.Response
        switch answer {
        case .policy(let contentType):
            response = .file(path: "/.well-known/mta-sts.txt", body: policyText, contentType: contentType)
        case .redirect(let status, let location):
            response = .redirect(status: status, location: location)
        case .status(let status):
            response = .status(status)
        }
        switch listener {
        case .standard:
            return NginxTestHost(serverName: policyHostName, certificate: issued, response: response)
        case .legacyTLSOnly(let address):
            return NginxTestHost(
                serverName: policyHostName,
                certificate: issued,
                address: address,
                protocols: ["TLSv1", "TLSv1.1"],
                ciphers: "DEFAULT:@SECLEVEL=0",
                response: response
            )
        case .plainHTTP(let address):
            return NginxTestHost(serverName: policyHostName, certificate: nil, address: address, response: response)
        case .none:
            return nil
        }
    }
}
