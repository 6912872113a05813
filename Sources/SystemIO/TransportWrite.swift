/// What one write to a server connection's transport did.
package enum TransportWrite: Sendable, Equatable {
    /// This many bytes (a prefix of the buffer) were written.
    case wrote(Int)
    /// Nothing now; `wantsRead` when TLS must read from the socket before it can write.
    case wouldBlock(wantsRead: Bool)
    /// The write failed; the connection is gone.
    case failed
}
