import Crypto
import DNS
import Foundation
import SystemIO
import TLS
import TestSupport
import Testing

@testable import SMTPClient

/// The MX probe against real SMTP servers (aiosmtpd) and sockets on loopback: one fixture per way an MX can fail
/// an MTA-STS sender, each asserted on the probe's real result.
@Suite struct SMTPProbeLiveTests {
    /// Sends every name to 127.0.0.1.
    static let loopback = SMTPHostResolver { _ in
        [SocketAddress(addressBytes: [127, 0, 0, 1], port: 0)].compactMap { $0 }
    }

    private func configuration(port: UInt16, pki: SMTPTestPKI) -> SMTPProbeConfiguration {
        var configuration = SMTPProbeConfiguration(localHostName: "checker.mtasts.test")
        configuration.port = port
        configuration.trustRoots = .file(pki.rootsPath)
        configuration.resolver = Self.loopback
        configuration.timeouts.connect = .seconds(5)
        configuration.timeouts.greeting = .seconds(10)
        configuration.timeouts.command = .seconds(10)
        configuration.timeouts.tlsHandshake = .seconds(10)
        configuration.timeouts.total = .seconds(30)
        return configuration
    }

    /// Starts `fixture`, probes `mx.probe.test` on it, and returns the result and the server (for its records).
    private func probe(
        _ fixture: SMTPFixtureServer.Fixture,
        pki: SMTPTestPKI,
        directory: TemporaryDirectory
    ) throws -> (SMTPProbeResult, SMTPFixtureServer) {
        let server = try SMTPFixtureServer(fixtures: [fixture], directory: directory)
        let probe = try SMTPProbe(configuration: configuration(port: try server.port(fixture.name), pki: pki))
        return (probe.probe(host: SMTPTestPKI.mxHost), server)
    }

    @Test func validCertificateMeetsEveryRequirement() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        let (result, server) = try probe(.init(name: "valid", credential: pki.valid), pki: pki, directory: directory)
        defer { server.stop() }
        #expect(result.issues == [], "\(result)\n\(server.log)")
        #expect(result.failure == nil)
        #expect(result.isReachable && result.isSTARTTLSOffered)
        #expect(result.greeting?.code == 220)
        #expect(result.attempts.map(\.outcome) == [.greeted])
        #expect(result.connectedAddress?.ipAddress == "127.0.0.1")
        let tls = try #require(result.tls)
        #expect(tls.protocolVersion == "TLSv1.3")
        #expect(tls.isChainTrusted && tls.isNameMatched)
        #expect(tls.matchedName == SMTPTestPKI.mxHost)
        let certificate = try #require(tls.certificate)
        #expect(certificate.dnsNames == [SMTPTestPKI.mxHost])
        #expect(certificate.notAfter == pki.valid.certificate.notAfterSeconds)
        #expect(certificate.issuer.contains("SMTP Test CA"))
        #expect(certificate.serialNumber == pki.valid.certificate.serialHex.lowercased())
        // RFC 3207 §4.2: EHLO again under TLS; the probe saw both answers.
        #expect(result.extensionsAfterTLS != nil)
        #expect(result.extensionsAfterTLS?.supportsSTARTTLS == false)
        // SNI was the MX host (RFC 8461 §4.1), and the probe never started a mail transaction.
        #expect(server.events("valid") == ["SNI \(SMTPTestPKI.mxHost)"])
        #expect(result.duration < .seconds(10))
    }

    @Test func wildcardCertificateCoversTheHost() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        let (result, server) = try probe(.init(name: "wild", credential: pki.wildcard), pki: pki, directory: directory)
        defer { server.stop() }
        #expect(result.issues == [], "\(result)")
        #expect(result.tls?.matchedName == "*.probe.test")
    }

    @Test func serverWithoutSTARTTLSIsReported() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        let (result, server) = try probe(.init(name: "plain"), pki: pki, directory: directory)
        defer { server.stop() }
        #expect(result.issues == [.startTLSMissing(nil)], "\(result)")
        #expect(result.failure == nil)
        #expect(result.isReachable && !result.isSTARTTLSOffered)
        #expect(result.tls == nil && result.startTLSReply == nil)
        #expect(server.events("plain").isEmpty)
    }

    @Test func certificateForAnotherNameIsANameMismatch() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        let (result, server) = try probe(
            .init(name: "other", credential: pki.otherName),
            pki: pki,
            directory: directory
        )
        defer { server.stop() }
        #expect(
            result.issues == [.certificateNameMismatch(host: SMTPTestPKI.mxHost, dnsNames: ["mail.elsewhere.test"])],
            "\(result)"
        )
        // The chain itself is fine: only the name is wrong, and the two findings stay apart.
        #expect(result.tls?.isChainTrusted == true)
    }

    @Test func subjectCommonNameIsNeverUsedForTheName() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        let (result, server) = try probe(
            .init(name: "cn", credential: pki.commonNameOnly),
            pki: pki,
            directory: directory
        )
        defer { server.stop() }
        #expect(result.tls?.certificate?.subject.contains("CN=\(SMTPTestPKI.mxHost)") == true, "\(result)")
        #expect(result.issues == [.certificateNameMismatch(host: SMTPTestPKI.mxHost, dnsNames: ["other.probe.test"])])
    }

    @Test func expiredCertificateIsInvalidWithItsReason() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        let (result, server) = try probe(
            .init(name: "expired", credential: pki.expired),
            pki: pki,
            directory: directory
        )
        defer { server.stop() }
        let issues = result.issues
        #expect(issues.count == 1, "\(result)")
        guard case .certificateInvalid(let failure?) = issues.first else {
            Issue.record("expected certificateInvalid, got \(issues)")
            return
        }
        #expect(failure.kind == .expired)
        #expect(result.tls?.certificate?.notAfter == pki.expired.certificate.notAfterSeconds)
        #expect(result.tls?.matchedName == SMTPTestPKI.mxHost)
        // The handshake completed (the probe judges the certificate itself): no second, TLS 1.0/1.1 session.
        #expect(result.legacyTLS == nil)
        #expect(server.events("expired") == ["SNI \(SMTPTestPKI.mxHost)"])
    }

    @Test func certificateFromAnUntrustedIssuerIsInvalid() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        let (result, server) = try probe(
            .init(name: "stranger", credential: pki.untrusted),
            pki: pki,
            directory: directory
        )
        defer { server.stop() }
        guard case .certificateInvalid(let failure?) = result.issues.first, result.issues.count == 1 else {
            Issue.record("expected one certificateInvalid, got \(result.issues)")
            return
        }
        #expect(failure.kind == .untrustedIssuer)
        #expect(result.tls?.certificate?.issuer.contains("Unknown CA") == true)
    }

    /// OpenSSL 3 still lets a server be configured for TLS 1.0 and 1.1 only (at security level 0). The probe's
    /// sender-like handshake (TLS 1.2 and later) fails; its second session, offering only TLS 1.0 and 1.1,
    /// completes and records the version the host does speak.
    @Test func serverSpeakingOnlyTLS10And11IsReportedWithItsVersion() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        var fixture = SMTPFixtureServer.Fixture(name: "legacy", credential: pki.valid)
        fixture.legacyTLSOnly = true
        let (result, server) = try probe(fixture, pki: pki, directory: directory)
        defer { server.stop() }
        #expect(result.issues == [.tlsVersionTooOld(negotiated: "TLSv1.1")], "\(result)\n\(server.log)")
        guard case .tlsHandshakeFailed = result.failure else {
            Issue.record("expected a failed handshake, got \(String(describing: result.failure))")
            return
        }
        #expect(result.tls == nil)
        #expect(result.isSTARTTLSOffered)
        #expect(result.legacyTLS?.certificate?.dnsNames == [SMTPTestPKI.mxHost])
        // The second session sent SNI too.
        #expect(server.events("legacy").last == "SNI \(SMTPTestPKI.mxHost)")
    }

    @Test func refusedGreetingIsUnreachableAndAnsweredWithQuit() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        var fixture = SMTPFixtureServer.Fixture(name: "refusing")
        fixture.greeting = "554 5.3.2 No SMTP service here"
        let (result, server) = try probe(fixture, pki: pki, directory: directory)
        defer { server.stop() }
        let refusal = SMTPReply(code: 554, lines: ["5.3.2 No SMTP service here"])
        #expect(result.failure == .refused(.greeting, refusal), "\(result)")
        #expect(result.issues == [.unreachable(.refused(.greeting, refusal))])
        #expect(!result.isReachable)
        #expect(result.attempts.map(\.outcome) == [.failed(.refused(.greeting, refusal))])
        // RFC 5321 §3.1: the client sends QUIT after a 554 greeting, and nothing else. The fixture records the
        // command before it answers, so by the time the probe returned the line is on disk.
        #expect(server.events("refusing") == ["COMMAND QUIT"])
    }

    @Test func serverThatNeverGreetsTimesOutAtTheGreeting() throws {
        // A listening socket nobody accepts from: the kernel completes the TCP handshake, no byte ever comes.
        let listener = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        defer { try? listener.close() }
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        var configuration = configuration(port: listener.localAddress.port, pki: pki)
        configuration.timeouts.greeting = .seconds(1)
        let result = try SMTPProbe(configuration: configuration).probe(host: SMTPTestPKI.mxHost)
        #expect(result.failure == .timeout(.greeting))
        #expect(result.issues == [.unreachable(.timeout(.greeting))])
        #expect(result.duration >= .seconds(1) && result.duration < .seconds(5), "\(result.duration) \(result)")
    }

    @Test func unansweredConnectTimesOutAtConnect() throws {
        // A listener whose accept queue (backlog 0) is full: Linux drops further SYNs instead of refusing them
        // (net.ipv4.tcp_abort_on_overflow = 0), as a filtered port on the internet does.
        let listener = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"), backlog: 0)
        defer { try? listener.close() }
        let fillers = try (0..<4).map { _ in try Socket.startConnecting(to: listener.localAddress).socket }
        defer { for filler in fillers { try? filler.close() } }
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        var configuration = configuration(port: listener.localAddress.port, pki: pki)
        configuration.timeouts.connect = .seconds(1)
        let result = try SMTPProbe(configuration: configuration).probe(host: SMTPTestPKI.mxHost)
        #expect(result.failure == .timeout(.connect), "\(result)")
        #expect(result.issues == [.unreachable(.timeout(.connect))])
        #expect(result.duration >= .seconds(1) && result.duration < .seconds(5), "\(result.duration)")
    }

    @Test func portWithNothingListeningIsRefused() throws {
        let port = try FreePort.allocate(udp: false)
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        let result = try SMTPProbe(configuration: configuration(port: port, pki: pki)).probe(host: SMTPTestPKI.mxHost)
        #expect(result.failure == .connectionRefused)
        #expect(result.issues == [.unreachable(.connectionRefused)])
        #expect(result.attempts.map(\.outcome) == [.failed(.connectionRefused)])
    }

    @Test func theOverallBudgetBoundsAServerThatHangsAfterItsGreeting() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        var fixture = SMTPFixtureServer.Fixture(name: "stall", credential: pki.valid)
        fixture.stallEHLO = true
        let server = try SMTPFixtureServer(fixtures: [fixture], directory: directory)
        defer { server.stop() }
        var configuration = configuration(port: try server.port("stall"), pki: pki)
        configuration.timeouts.command = .seconds(60)
        configuration.timeouts.total = .seconds(2)
        let result = try SMTPProbe(configuration: configuration).probe(host: SMTPTestPKI.mxHost)
        #expect(result.isReachable)
        #expect(result.failure == .timeout(.ehlo), "\(result)")
        #expect(result.issues == [.unreachable(.timeout(.ehlo))])
        #expect(result.duration < .seconds(6), "\(result.duration)")
    }

    @Test func theNextAddressIsTriedWhenOneRefuses() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        let server = try SMTPFixtureServer(
            fixtures: [.init(name: "valid", credential: pki.valid)],
            directory: directory
        )
        defer { server.stop() }
        var configuration = configuration(port: try server.port("valid"), pki: pki)
        // The fixture listens on 127.0.0.1 only: 127.0.0.2 on the same port refuses.
        configuration.resolver = SMTPHostResolver { _ in
            [[127, 0, 0, 2], [127, 0, 0, 1]].compactMap { SocketAddress(addressBytes: $0, port: 0) }
        }
        let result = try SMTPProbe(configuration: configuration).probe(host: SMTPTestPKI.mxHost)
        #expect(result.attempts.map(\.outcome) == [.failed(.connectionRefused), .greeted], "\(result)")
        #expect(result.connectedAddress?.ipAddress == "127.0.0.1")
        #expect(result.issues == [])
    }

    @Test func addressLookupFailuresAreUnreachableWithTheReason() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-probe")
        let pki = try SMTPTestPKI(directory: directory)
        // The real DNS client against a loopback port where no resolver listens.
        let deadPort = try FreePort.allocate(tcp: false)
        let client = DNSClient(
            resolvers: [try DNSServerAddress("127.0.0.1:\(deadPort)")],
            timeout: .milliseconds(300),
            attempts: 1
        )
        var configuration = configuration(port: 25, pki: pki)
        configuration.resolver = .dns(client)
        let failed = try SMTPProbe(configuration: configuration).probe(host: SMTPTestPKI.mxHost)
        guard case .unreachable(.resolutionFailed(let reason)) = failed.issues.first else {
            Issue.record("expected an unreachable DNS failure, got \(failed.issues)")
            return
        }
        #expect(reason.contains(SMTPTestPKI.mxHost))
        #expect(failed.attempts.isEmpty)

        configuration.resolver = SMTPHostResolver { _ in [] }
        let empty = try SMTPProbe(configuration: configuration).probe(host: SMTPTestPKI.mxHost)
        #expect(empty.issues == [.unreachable(.noAddresses)])
    }
}
