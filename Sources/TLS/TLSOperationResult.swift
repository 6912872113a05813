/// What a non-blocking TLS operation needs before it can make progress.
package enum TLSWant: Sendable, Equatable {
    /// Wait until the transport is readable (`SSL_ERROR_WANT_READ`).
    case read
    /// Wait until the transport is writable (`SSL_ERROR_WANT_WRITE`).
    case write
}

/// The outcome of one `SSL_*` call on a non-blocking connection (STYLE rule 4).
package enum TLSOperationResult<T> {
    /// Finished with this value.
    case complete(T)
    /// Retry the same call when the transport is ready as indicated.
    case incomplete(TLSWant)
    /// Failed for good; the connection must be closed.
    case failed(TLSError)
}

extension TLSOperationResult: Sendable where T: Sendable {}

extension TLSOperationResult {
    /// The completed value, or `nil`.
    package var value: T? {
        if case .complete(let value) = self { return value }
        return nil
    }

    /// The failure, or `nil`.
    package var error: TLSError? {
        if case .failed(let error) = self { return error }
        return nil
    }
}
