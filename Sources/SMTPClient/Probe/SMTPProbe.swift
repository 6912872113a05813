package import Logging
import SystemIO
import TLS

/// Probes an MX host the way an MTA-STS sender connects to it (RFC 8461 §4.1, §5; RFC 3207), without sending mail.
///
/// For each address of the host, in order, until one greets with 220: connect, read the greeting. Then `EHLO`;
/// if STARTTLS is offered, `STARTTLS`, a TLS handshake (TLS 1.2 or later, as RFC 8996 senders require) with SNI
/// set to the MX host, and the two checks a sender makes: the chain against the configured roots (validity
/// dates included) and the MX host against the certificate's DNS-IDs (``MXCertificateNameMatcher``). Then
/// `EHLO` again and `QUIT`. MAIL, RCPT and DATA are never sent. The handshake is completed even when the
/// certificate fails, so the result describes a bad certificate fully. Every wait is bounded by its step's
/// timeout and the probe as a whole by ``SMTPTimeouts/total``.
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
        do {
            self.tlsContext = try TLSContext.makeClient(configuration: tls)
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
        let deadline = start + configuration.timeouts.total
        var result = SMTPProbeResult(host: host, port: configuration.port)
        defer {
            result.duration = Deadline.now() - start
            logger.debug(
                "probe finished",
                [
                    "host": host, "port": String(configuration.port), "reachable": String(result.isReachable),
                    "starttls": String(result.isSTARTTLSOffered),
                    "failure": result.failure.map { "\($0)" } ?? "none",
                ]
            )
        }
        let addresses: [SocketAddress]
        do {
            addresses = try configuration.resolver.addresses(for: host).map { $0.withPort(configuration.port) }
        } catch {
            result.failure = SMTPProbeFailure(error)
            return result
        }
        guard !addresses.isEmpty else {
            result.failure = .noAddresses
            return result
        }
        var lastFailure = SMTPProbeFailure.noAddresses
        for address in addresses {
            guard Deadline.now() < deadline else {
                result.attempts.append(SMTPAddressAttempt(address: address, outcome: .notTried))
                continue
            }
            if let failure = attempt(address, host: host, deadline: deadline, into: &result) {
                lastFailure = failure
                result.attempts.append(SMTPAddressAttempt(address: address, outcome: .failed(failure)))
                continue
            }
            result.attempts.append(SMTPAddressAttempt(address: address, outcome: .greeted))
            return result
        }
        result.failure = lastFailure
        return result
    }

    // MARK: - One address

    /// Runs the session with one address.
    /// - Returns: Why the address did not greet (the probe then tries the next one); `nil` once it greeted,
    ///   with everything found, including a later failure, recorded in `result`.
    private func attempt(
        _ address: SocketAddress,
        host: String,
        deadline: Deadline,
        into result: inout SMTPProbeResult
    ) -> SMTPProbeFailure? {
        let connection: SMTPConnection
        do {
            connection = try SMTPConnection.connect(
                to: address,
                deadline: min(.after(configuration.timeouts.connect), deadline),
                limits: configuration.replyLimits
            )
        } catch {
            return SMTPProbeFailure(error)
        }
        defer { connection.close() }
        var machine = SMTPClientStateMachine(mode: .probe, localHostName: configuration.localHostName)
        var inspected: SMTPProbeTLS?
        var sessionError: SMTPClientError?
        do {
            try connection.run(
                &machine,
                from: machine.start(),
                timeouts: configuration.timeouts,
                deadline: deadline,
                logger: logger
            ) { (connection, handshakeDeadline) throws(SMTPClientError) in
                // SNI is the MX host (RFC 8461 §4.1); the name is checked by RFC 8461's rules, not OpenSSL's.
                let isLiteral = (try? SocketAddress(ipAddress: host, port: 0)) != nil
                try connection.startTLS(
                    context: tlsContext,
                    peer: .chainOnly(serverName: isLiteral ? nil : host),
                    deadline: handshakeDeadline
                )
                inspected = Self.inspect(connection, host: host)
            }
        } catch {
            sessionError = error
        }
        guard let greeting = machine.greeting else {
            // A refused greeting is recorded by the machine; a QUIT error after it does not matter.
            return SMTPProbeFailure(
                machine.failure ?? sessionError ?? SMTPClientError(.connectionClosed, "no greeting")
            )
        }
        result.greeting = greeting
        result.extensionsBeforeTLS = machine.extensionsBeforeTLS
        result.startTLSReply = machine.startTLSReply
        result.extensionsAfterTLS = machine.extensionsAfterTLS
        result.tls = inspected
        if let refusal = machine.failure {
            result.failure = SMTPProbeFailure(refusal)
        } else if let sessionError, sessionError.step != .quit {
            // Everything the probe looks for is known before QUIT: a server that drops the connection instead
            // of answering it is not a failure.
            result.failure = SMTPProbeFailure(sessionError)
        }
        return nil
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
