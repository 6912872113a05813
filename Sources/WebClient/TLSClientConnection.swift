import SystemIO
import TLS

/// An `https` connection: TLS over the non-blocking socket, `.incomplete` results turned into `poll` waits.
final class TLSClientConnection: ClientConnection {
    private let socket: Socket
    private let tls: TLSConnection

    private init(socket: Socket, tls: TLSConnection) {
        self.socket = socket
        self.tls = tls
    }

    /// Runs the handshake over `socket`, verifying the chain and the URL's host (a DNS name through SNI and
    /// `X509_VERIFY_PARAM_set1_host`, an IP literal as an iPAddress subjectAltName without SNI).
    /// - Throws: ``HTTPClientError/Code/tlsFailed`` (with ``HTTPClientError/verificationFailure`` when the
    ///   certificate was rejected) or ``HTTPClientError/Code/timeout``.
    static func establish(
        over socket: Socket,
        context: TLSContext,
        url: ClientURL,
        deadline: Deadline
    ) throws -> TLSClientConnection {
        let tls: TLSConnection
        do {
            // RFC 6066 section 3: literal IP addresses are not permitted as SNI host names.
            tls = try TLSConnection(
                context: context,
                fd: socket.fileDescriptor,
                serverName: url.isIPLiteral ? nil : url.host
            )
            if url.isIPLiteral {
                try tls.expectPeerIPAddress(url.host)
            }
        } catch {
            throw HTTPClientError(.tlsFailed, "cannot set up TLS for \(url.origin)", underlying: error)
        }
        while true {
            switch tls.handshake() {
            case .complete:
                return TLSClientConnection(socket: socket, tls: tls)
            case .incomplete(let want):
                try socket.wait(for: want == .read ? .readable : .writable, until: deadline, step: "TLS handshake")
            case .failed(let error):
                if let failure = tls.verificationFailure {
                    throw HTTPClientError(
                        .tlsFailed,
                        "TLS handshake with \(url.origin) failed: certificate verification failed: \(failure.reason)",
                        verificationFailure: failure.reason,
                        verification: failure,
                        underlying: error
                    )
                }
                throw HTTPClientError(
                    .tlsFailed,
                    "TLS handshake with \(url.origin) failed: \(error)",
                    underlying: error
                )
            }
        }
    }

    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { tls.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            switch result {
            case .complete(let count):
                offset += count
            case .incomplete(let want):
                try socket.wait(for: want == .read ? .readable : .writable, until: deadline, step: "request to be sent")
            case .failed(let error):
                throw HTTPClientError(.connectionFailed, "sending the request failed: \(error)", underlying: error)
            }
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws -> Int {
        while true {
            switch tls.read(into: buffer) {
            case .complete(let count):
                return count
            case .incomplete(let want):
                try socket.wait(for: want == .read ? .readable : .writable, until: deadline, step: "response")
            case .failed(let error) where error == .unexpectedEOF:
                // A close without close_notify: the framing (Content-Length, chunked) still detects a
                // truncated response; only a read-until-close body cannot tell, as with plain HTTP.
                return 0
            case .failed(let error):
                throw HTTPClientError(.connectionFailed, "reading the response failed: \(error)", underlying: error)
            }
        }
    }

    var tlsDetails: ClientTLSDetails? {
        ClientTLSDetails(protocolVersion: tls.negotiatedProtocolVersion, peerCertificate: tls.peerCertificate)
    }

    func close() {
        _ = tls.shutdown()
        try? socket.close()
    }
}
