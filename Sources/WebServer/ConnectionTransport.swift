import TLS

/// The byte stream under one server connection, as ``HTTPServerConnection`` uses it: TLS over a socket or a plain
/// socket (``SocketTransport``), or a scripted fake in tests.
///
/// Results are converted at this boundary (STYLE rule 4), so the connection sees four read and three write
/// outcomes whatever the transport. Loop-confined, like the connection that owns it.
///
/// ```swift
/// switch transport.read(into: buffer) {
/// case .data(let count, let isDrained): consume(count); if !isDrained { readAgain() }
/// case .wouldBlock(let wantsWrite): waitFor(wantsWrite ? .writable : .readable)
/// case .endOfStream, .failed: finish()
/// }
/// ```
protocol ConnectionTransport: SendableMetatype {
    /// The descriptor the event loop watches.
    var descriptor: CInt { get }
    /// Whether a TLS handshake comes first (and close_notify last).
    var usesTLS: Bool { get }
    /// The TLS server name the client sent, as sent; nil on plain HTTP or without SNI.
    var serverName: String? { get }
    /// The negotiated TLS version (`TLSv1.3`), for access logs; nil on plain HTTP.
    var negotiatedProtocolVersion: String? { get }

    /// Advances the TLS handshake (only called when ``usesTLS``).
    func handshake() -> TLSOperationResult<Void>
    /// Reads up to `buffer.count` bytes of request data.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportRead
    /// Writes a prefix of `buffer`.
    func write(_ buffer: UnsafeRawBufferPointer) -> TransportWrite
    /// Sends TLS close_notify (only called when ``usesTLS``); the peer's reply is not awaited.
    func sendCloseNotify() -> TLSOperationResult<Void>
    /// Closes the descriptor; call after the event loop stopped watching it.
    func close()
}

/// What one ``ConnectionTransport/read(into:)`` produced.
enum TransportRead: Sendable, Equatable {
    /// `count` bytes (at least one) arrived. `isDrained` when the read emptied the transport: a short read with
    /// nothing left inside TLS, so level-triggered readiness reports whatever comes next and another read now
    /// would only return `EAGAIN`.
    case data(count: Int, isDrained: Bool)
    /// Nothing now; `wantsWrite` when TLS must write to the socket before it can read.
    case wouldBlock(wantsWrite: Bool)
    /// The peer finished sending: end of stream on TCP, close_notify over TLS.
    case endOfStream
    /// The read failed: a reset, or over TLS a bad record or a close without close_notify.
    case failed
}

/// What one ``ConnectionTransport/write(_:)`` did.
enum TransportWrite: Sendable, Equatable {
    /// This many bytes (a prefix of the buffer) were written.
    case wrote(Int)
    /// Nothing now; `wantsRead` when TLS must read from the socket before it can write.
    case wouldBlock(wantsRead: Bool)
    /// The write failed; the connection is gone.
    case failed
}
