import SystemIO
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
    /// Sends TLS close_notify (only called when ``usesTLS``); the peer's reply is not awaited. Safe to call again.
    func sendCloseNotify() -> TLSOperationResult<Void>
    /// Whether bytes written so far wait in a buffer for ``flush()``.
    var hasUnflushedOutput: Bool { get }
    /// Hands buffered bytes to the socket: `.wrote(0)` when none are left, `.wouldBlock` when the socket is full.
    func flush() -> TransportWrite
    /// Closes the descriptor; call after the event loop stopped watching it.
    func close()
}
