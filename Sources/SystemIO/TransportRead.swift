/// What one read from a server connection's transport produced (a plain socket, or TLS over it), as the
/// connection shells of the web server and the SMTP listener see it.
package enum TransportRead: Sendable, Equatable {
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
