import HTTPCore
import SystemIO
import TLS

/// One SMTP connection: a non-blocking socket, TLS once STARTTLS (or implicit TLS) has run, and the reply
/// parser; every wait ends at a deadline the caller passes per step.
///
/// Blocking, for worker threads (the probe and the submission client), in the manner of WebClient's
/// connections: `poll(2)` on the socket with what is left until the deadline.
///
/// ```swift
/// let connection = try SMTPConnection.connect(to: address, deadline: .after(.seconds(10)))
/// defer { connection.close() }
/// let greeting = try connection.readReply(step: .greeting, deadline: .after(.seconds(30)))
/// let reply = try connection.exchange(.ehlo("probe.example"), step: .ehlo, deadline: .after(.seconds(30)))
/// ```
final class SMTPConnection {
    /// The server's address.
    let address: SocketAddress
    private let socket: Socket
    /// The TLS layer once a handshake has completed.
    private(set) var tls: TLSConnection?
    private var buffer = ByteBuffer(capacity: 4096)
    private var parser: SMTPReplyParser

    private init(address: SocketAddress, socket: Socket, limits: SMTPReplyLimits) {
        self.address = address
        self.socket = socket
        self.parser = SMTPReplyParser(limits: limits)
    }

    /// Connects to `address`, waiting until `deadline`.
    /// - Throws: ``SMTPClientError/Code/timeout`` or ``SMTPClientError/Code/connectFailed`` (step `connect`).
    static func connect(
        to address: SocketAddress,
        deadline: Deadline,
        limits: SMTPReplyLimits = .default
    ) throws(SMTPClientError) -> SMTPConnection {
        let socket: Socket
        do {
            socket = try Socket.connect(to: address, until: deadline)
        } catch let error as SystemError where error.isTimeout {
            throw SMTPClientError(.timeout, "connect to \(address) timed out", step: .connect, underlying: error)
        } catch let error as SystemError {
            throw SMTPClientError(
                .connectFailed,
                "connect to \(address) failed: \(error.message)",
                step: .connect,
                underlying: error
            )
        } catch {
            throw SMTPClientError(.connectFailed, "connect to \(address) failed", step: .connect, underlying: error)
        }
        try? socket.setNoDelay(true)
        return SMTPConnection(address: address, socket: socket, limits: limits)
    }

    /// Whether the connection is protected by TLS.
    var isTLS: Bool { tls != nil }

    // MARK: - Commands and replies

    /// Sends `command` and reads the reply to it.
    /// - Throws: ``SMTPClientError`` (timeout, connection closed or failed, malformed reply), with `step`.
    func exchange(_ command: SMTPCommand, step: SMTPStep, deadline: Deadline) throws(SMTPClientError) -> SMTPReply {
        try write(command.bytes, step: step, deadline: deadline)
        return try readReply(step: step, deadline: deadline)
    }

    /// Reads the next complete reply.
    /// - Throws: ``SMTPClientError`` (timeout, connection closed or failed, malformed reply), with `step`.
    func readReply(step: SMTPStep, deadline: Deadline) throws(SMTPClientError) -> SMTPReply {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let reply = try parse(step: step) {
                return reply
            }
            let count = try read(into: &chunk, step: step, deadline: deadline)
            guard count > 0 else {
                do throws(SMTPParseError) {
                    try parser.endOfStream()
                } catch {
                    throw SMTPClientError(
                        .malformedReply,
                        "malformed reply: \(error.message)",
                        step: step,
                        underlying: error
                    )
                }
                throw SMTPClientError(.connectionClosed, "\(address) closed the connection", step: step)
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// The next complete reply in the bytes received so far.
    private func parse(step: SMTPStep) throws(SMTPClientError) -> SMTPReply? {
        do throws(SMTPParseError) {
            guard let reply = try parser.next(from: &buffer) else { return nil }
            buffer.discardReadBytes()
            return reply
        } catch {
            throw SMTPClientError(.malformedReply, "malformed reply: \(error.message)", step: step, underlying: error)
        }
    }

    /// Sends all of `bytes`.
    /// - Throws: ``SMTPClientError`` (timeout, connection failed), with `step`.
    func write(_ bytes: [UInt8], step: SMTPStep, deadline: Deadline) throws(SMTPClientError) {
        var offset = 0
        while offset < bytes.count {
            if let tls {
                let result = bytes.withUnsafeBytes { tls.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
                switch result {
                case .complete(let count): offset += count
                case .incomplete(let want): try wait(for: want, step: step, deadline: deadline)
                case .failed(let error):
                    throw SMTPClientError(.connectionFailed, "sending failed: \(error)", step: step, underlying: error)
                }
                continue
            }
            let result: IOResult<Int>
            do {
                result = try bytes.withUnsafeBytes { try socket.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            } catch {
                throw SMTPClientError(.connectionFailed, "sending failed: \(error)", step: step, underlying: error)
            }
            switch result {
            case .processed(let count): offset += count
            case .wouldBlock: try wait(for: .writable, step: step, deadline: deadline)
            }
        }
    }

    // MARK: - TLS

    /// Runs the TLS handshake over the connection (after a 220 to STARTTLS, or at once for implicit TLS).
    ///
    /// Refuses when the server already sent bytes after its STARTTLS reply: they arrived in plaintext and would
    /// otherwise be read as if protected (the STARTTLS command-injection flaw, CVE-2011-0411, seen from the
    /// client side); RFC 3207 §4.2 has the client start afresh after the handshake.
    /// - Parameters:
    ///   - context: A client context (trust roots, and whether verification failures end the handshake).
    ///   - peer: What the certificate must name: ``TLSPeerName/hostName(_:)`` (also sent as SNI),
    ///     ``TLSPeerName/ipAddress(_:)`` (an iPAddress entry; no SNI, RFC 6066 §3), or
    ///     ``TLSPeerName/chainOnly(serverName:)`` to verify the chain alone and leave the name to the caller.
    ///   - deadline: When to give up.
    /// - Throws: ``SMTPClientError/Code/tlsFailed`` (with the verification failure when that was the cause) or
    ///   ``SMTPClientError/Code/timeout``, step `tlsHandshake`.
    func startTLS(context: TLSContext, peer: TLSPeerName, deadline: Deadline) throws(SMTPClientError) {
        guard buffer.isEmpty, !parser.hasPartialReply else {
            throw SMTPClientError(
                .malformedReply,
                "\(address) sent data after its STARTTLS reply, before the TLS handshake",
                step: .startTLS
            )
        }
        let connection: TLSConnection
        do {
            switch peer {
            case .hostName(let name):
                connection = try TLSConnection(context: context, fd: socket.fileDescriptor, serverName: name)
            case .ipAddress(let address):
                connection = try TLSConnection(context: context, fd: socket.fileDescriptor)
                try connection.expectPeerIPAddress(address)
            case .chainOnly(let serverName):
                connection = try TLSConnection(context: context, fd: socket.fileDescriptor, serverName: serverName)
                connection.verifyChainWithoutHostName()
            }
        } catch {
            throw SMTPClientError(.tlsFailed, "cannot set up TLS: \(error)", step: .tlsHandshake, underlying: error)
        }
        while true {
            switch connection.handshake() {
            case .complete:
                tls = connection
                return
            case .incomplete(let want):
                try wait(for: want, step: .tlsHandshake, deadline: deadline)
            case .failed(let error):
                let failure = connection.verificationFailure
                let reason = failure.map { "certificate verification failed: \($0.reason)" } ?? "\(error)"
                throw SMTPClientError(
                    .tlsFailed,
                    "TLS handshake with \(address) failed: \(reason)",
                    step: .tlsHandshake,
                    verificationFailure: failure,
                    underlying: error
                )
            }
        }
    }

    /// Ends the connection: a best-effort close_notify under TLS, then the socket is closed.
    func close() {
        if let tls { _ = tls.shutdown() }
        try? socket.close()
    }

    // MARK: - Reading and waiting

    /// Reads some bytes into `chunk`, waiting for at least one; 0 when the server closed the connection.
    private func read(into chunk: inout [UInt8], step: SMTPStep, deadline: Deadline) throws(SMTPClientError) -> Int {
        while true {
            if let tls {
                switch chunk.withUnsafeMutableBytes({ tls.read(into: $0) }) {
                case .complete(let count): return count
                case .incomplete(let want): try wait(for: want, step: step, deadline: deadline)
                case .failed(let error) where error == .unexpectedEOF: return 0
                case .failed(let error):
                    throw SMTPClientError(.connectionFailed, "reading failed: \(error)", step: step, underlying: error)
                }
                continue
            }
            let result = chunk.withUnsafeMutableBytes { bytes in Result { try socket.read(into: bytes) } }
            switch result {
            case .success(.processed(let count)): return count
            case .success(.wouldBlock): try wait(for: .readable, step: step, deadline: deadline)
            case .failure(let error):
                throw SMTPClientError(.connectionFailed, "reading failed: \(error)", step: step, underlying: error)
            }
        }
    }

    private func wait(for want: TLSWant, step: SMTPStep, deadline: Deadline) throws(SMTPClientError) {
        try wait(for: want == .read ? .readable : .writable, step: step, deadline: deadline)
    }

    private func wait(for events: EventSet, step: SMTPStep, deadline: Deadline) throws(SMTPClientError) {
        // poll(2) takes whole milliseconds, so it may come back just before the deadline: wait again until the
        // deadline has really passed.
        while true {
            let isReady: Bool
            do {
                isReady = try socket.waitUntilReady(for: events, until: deadline)
            } catch {
                throw SMTPClientError(.connectionFailed, "poll failed", step: step, underlying: error)
            }
            if isReady { return }
            guard Deadline.now() < deadline else {
                throw SMTPClientError(.timeout, "\(address) did not answer in time", step: step)
            }
        }
    }
}
