package import Logging
import SystemIO
import TLS

/// Probes an MX host the way an MTA-STS sender connects to it (RFC 8461 §4.1, §5; RFC 3207), without sending mail.
///
/// For each address of the host, in order, until one greets with 220: connect, read the greeting. Then `EHLO`;
/// if STARTTLS is offered, `STARTTLS`, a TLS handshake with SNI set to the MX host, offering what a sender
/// offers (TLS 1.2 or later as RFC 8996 requires, OpenSSL's default ciphers), and the two checks a sender makes:
/// the chain against the configured roots (validity dates included) and the MX host against the certificate's
/// DNS-IDs (``MXCertificateNameMatcher``). Then `EHLO` again and `QUIT`. MAIL, RCPT and DATA are never sent. The
/// handshake is completed even when the certificate fails, so the result describes a bad certificate fully.
/// When the handshake fails, a second session offers only TLS 1.0 and 1.1: if that handshake succeeds, the host
/// speaks nothing newer, and ``SMTPProbeResult/legacyTLS`` records the version it negotiated. Every wait is
/// bounded by its step's timeout and the probe as a whole by ``SMTPTimeouts/total``.
///
/// Blocking: call from worker threads, never an event loop. Safe to share; each probe uses its own sockets.
///
/// ```swift
/// let probe = try SMTPProbe(configuration: SMTPProbeConfiguration(localHostName: "checker.example"))
/// let result = probe.probe(host: "mx1.example.com")
/// for issue in result.issues { report(issue) }   // .startTLSMissing, .certificateNameMismatch(…), …
/// result.tls?.protocolVersion                    // "TLSv1.3"
/// ```
package final class SMTPProbe: Sendable {
    /// The settings this probe was created with.
    package let configuration: SMTPProbeConfiguration
    private let tlsContext: TLSContext
    private let legacyTLSContext: TLSContext
    private let logger: Logger

    /// Creates a probe; loads the trust roots once.
    ///
    /// Also sets `SIGPIPE` to ignored for the process: a server that resets the connection while OpenSSL
    /// writes would otherwise kill it.
    /// - Throws: ``SMTPClientError/Code/invalidConfiguration`` when the EHLO name is invalid or the trust roots
    ///   cannot be loaded.
    package init(
        configuration: SMTPProbeConfiguration,
        logger: Logger = Logger(label: "smtp-probe", level: .warning)
    ) throws(SMTPClientError) {
        try SMTPCommand.validateEHLOArgument(configuration.localHostName)
        Signals.ignoreSIGPIPE()
        var tls = TLSConfiguration.client(trustRoots: configuration.trustRoots)
        tls.alpnProtocols = []
        tls.completesHandshakeOnVerificationFailure = true
        // What MTAs built on OpenSSL offer, rather than the edge's AEAD-only server policy: a TLS 1.2 host with
        // CBC suites is fine for senders and must be fine here.
        tls.cipherList = "DEFAULT"
        var legacy = tls
        legacy.minimumVersion = .tls1
        legacy.maximumVersion = .tls11
        // OpenSSL 3 allows TLS 1.0 and 1.1 (SHA-1 handshake signatures) only at security level 0.
        legacy.cipherList = "DEFAULT:@SECLEVEL=0"
        do {
            self.tlsContext = try TLSContext.makeClient(configuration: tls)
            self.legacyTLSContext = try TLSContext.makeClient(configuration: legacy)
        } catch {
            throw SMTPClientError(.invalidConfiguration, "cannot load the TLS trust roots", underlying: error)
        }
        self.configuration = configuration
        self.logger = logger
    }

    /// Probes `host` on the configured port.
    /// - Parameter host: The MX host name (an A-label name, as in the MX record), or an IP literal.
    /// - Returns: Everything found; failures are in ``SMTPProbeResult/failure``, never thrown.
    package func probe(host: String) -> SMTPProbeResult {
        let start = Deadline.now()
        var result = SMTPProbeResult(host: host, port: configuration.port)
        probe(host, deadline: start + configuration.timeouts.total, into: &result)
        result.duration = Deadline.now() - start
        logger.debug(
            "probe finished",
            [
                "host": host, "port": String(configuration.port), "reachable": String(result.isReachable),
                "starttls": String(result.isSTARTTLSOffered), "failure": result.failure.map { "\($0)" } ?? "none",
            ]
        )
        return result
    }

    /// Resolves `host` and tries its addresses in turn until one greets.
    private func probe(_ host: String, deadline: Deadline, into result: inout SMTPProbeResult) {
        let addresses: [SocketAddress]
        do {
            addresses = try configuration.resolver.addresses(for: host).map { $0.withPort(configuration.port) }
        } catch {
            result.failure = SMTPProbeFailure(error)
            return
        }
        guard !addresses.isEmpty else {
            result.failure = .noAddresses
            return
        }
        var lastFailure = SMTPProbeFailure.noAddresses
        for address in addresses {
            guard Deadline.now() < deadline else {
                result.attempts.append(SMTPAddressAttempt(address: address, outcome: .notTried))
                continue
            }
            let session: Session
            switch self.session(with: address, host: host, context: tlsContext, deadline: deadline) {
            case .notGreeted(let failure):
                lastFailure = failure
                result.attempts.append(SMTPAddressAttempt(address: address, outcome: .failed(failure)))
                continue
            case .greeted(let greeted):
                session = greeted
            }
            result.attempts.append(SMTPAddressAttempt(address: address, outcome: .greeted))
            session.record(into: &result)
            if case .tlsHandshakeFailed(let failure) = result.failure, failure.reason != .timeout {
                result.legacyTLS = legacyHandshake(with: address, host: host, deadline: deadline)
            }
            return
        }
        result.failure = lastFailure
    }

    // MARK: - Sessions

    /// What one session with a greeting address found.
    private struct Session {
        var machine: SMTPClientStateMachine
        var tls: SMTPProbeTLS?
        var error: SMTPClientError?

        /// Copies what the session found into `result`, with the failure that ended it, if any.
        func record(into result: inout SMTPProbeResult) {
            result.greeting = machine.greeting
            result.extensionsBeforeTLS = machine.extensionsBeforeTLS
            result.startTLSReply = machine.startTLSReply
            result.extensionsAfterTLS = machine.extensionsAfterTLS
            result.tls = tls
            if let refusal = machine.failure {
                result.failure = SMTPProbeFailure(refusal)
            } else if let error, error.step != .quit {
                // Everything the probe looks for is known before QUIT: a server that drops the connection instead
                // of answering it is not a failure.
                result.failure = SMTPProbeFailure(error)
            }
        }
    }

    /// How a session with one address went.
    private enum Outcome {
        /// The address greeted; later failures are inside the session.
        case greeted(Session)
        /// The address did not greet; the probe moves on to the next one.
        case notGreeted(SMTPProbeFailure)
    }

    /// Connects to `address` and runs the probe session with `context` for the handshake.
    private func session(
        with address: SocketAddress,
        host: String,
        context: TLSContext,
        deadline: Deadline
    ) -> Outcome {
        let connection: SMTPConnection
        do {
            connection = try SMTPConnection.connect(
                to: address,
                deadline: min(.after(configuration.timeouts.connect), deadline),
                limits: configuration.replyLimits
            )
        } catch {
            return .notGreeted(SMTPProbeFailure(error))
        }
        defer { connection.close() }
        var session = Session(
            machine: SMTPClientStateMachine(mode: .probe, localHostName: configuration.localHostName)
        )
        do {
            try connection.run(
                &session.machine,
                from: session.machine.start(),
                timeouts: configuration.timeouts,
                deadline: deadline,
                logger: logger
            ) { (connection, handshakeDeadline) throws(SMTPClientError) in
                // SNI is the MX host (RFC 8461 §4.1); the name is checked by RFC 8461's rules, not OpenSSL's.
                let isLiteral = (try? SocketAddress(ipAddress: host, port: 0)) != nil
                try connection.startTLS(
                    context: context,
                    peer: .chainOnly(serverName: isLiteral ? nil : host),
                    deadline: handshakeDeadline
                )
                session.tls = Self.inspect(connection, host: host)
            }
        } catch {
            session.error = error
        }
        guard session.machine.greeting != nil else {
            // A refused greeting is recorded by the machine; a QUIT error after it does not matter.
            let error = session.machine.failure ?? session.error
            return .notGreeted(error.map(SMTPProbeFailure.init) ?? .connectionClosed(.greeting))
        }
        return .greeted(session)
    }

    /// A second session that offers only TLS 1.0 and 1.1; its handshake, if one completed.
    private func legacyHandshake(with address: SocketAddress, host: String, deadline: Deadline) -> SMTPProbeTLS? {
        guard Deadline.now() < deadline,
            case .greeted(let session) = session(
                with: address,
                host: host,
                context: legacyTLSContext,
                deadline: deadline
            )
        else { return nil }
        return session.tls
    }

    /// The negotiated parameters and the certificate checks of a completed handshake.
    private static func inspect(_ connection: SMTPConnection, host: String) -> SMTPProbeTLS? {
        guard let tls = connection.tls else { return nil }
        let leaf = tls.peerCertificate
        let summary = leaf.map { certificate in
            SMTPCertificateSummary(
                subject: certificate.subject,
                issuer: certificate.issuer,
                dnsNames: certificate.dnsNames,
                notBefore: certificate.notBeforeSeconds,
                notAfter: certificate.notAfterSeconds,
                serialNumber: certificate.serialNumberHex
            )
        }
        return SMTPProbeTLS(
            protocolVersion: tls.negotiatedProtocolVersion,
            cipher: tls.negotiatedCipher,
            certificate: summary,
            chainFailure: leaf == nil ? nil : tls.verificationFailure,
            matchedName: summary.flatMap { MXCertificateNameMatcher.matchingName(for: host, in: $0.dnsNames) }
        )
    }
}
