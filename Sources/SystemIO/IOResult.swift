/// The outcome of a non-blocking system call: it either processed something or would have blocked.
///
/// `EAGAIN`/`EWOULDBLOCK` become ``wouldBlock``; every other failure is thrown as a ``SystemError``.
package enum IOResult<T> {
    /// The call completed with this value (bytes transferred, a new descriptor, ...).
    case processed(T)
    /// The call would have blocked; wait for readiness and retry.
    case wouldBlock
}

extension IOResult: Sendable where T: Sendable {}
extension IOResult: Equatable where T: Equatable {}

extension IOResult {
    /// The processed value, or `nil` when the call would have blocked.
    package var value: T? {
        switch self {
        case .processed(let value): return value
        case .wouldBlock: return nil
        }
    }

    /// Maps the processed value, keeping ``wouldBlock``.
    package func map<U>(_ transform: (T) throws -> U) rethrows -> IOResult<U> {
        switch self {
        case .processed(let value): return .processed(try transform(value))
        case .wouldBlock: return .wouldBlock
        }
    }
}
