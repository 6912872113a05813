import Glibc

/// The one place where a raw system call's `-1` result is interpreted (STYLE rule 5).
///
/// Retries on `EINTR`, maps `EAGAIN`/`EWOULDBLOCK` to ``IOResult/wouldBlock`` and throws
/// ``SystemError`` for everything else.
/// - Parameters:
///   - function: The C function name, used in the thrown error.
///   - body: Performs the call and returns its raw result; `-1` means failure with `errno` set.
/// - Returns: ``IOResult/processed(_:)`` with the raw result, or ``IOResult/wouldBlock``.
/// - Throws: ``SystemError`` for any errno other than `EINTR`, `EAGAIN` or `EWOULDBLOCK`.
@inline(__always)
func syscall<T: FixedWidthInteger>(_ function: String, _ body: () -> T) throws -> IOResult<T> {
    while true {
        let result = body()
        if result != -1 {
            return .processed(result)
        }
        let code = Glibc.errno
        if code == EINTR {
            continue
        }
        if code == EAGAIN || code == EWOULDBLOCK {
            return .wouldBlock
        }
        throw SystemError(errno: code, function: function)
    }
}

/// ``syscall(_:_:)`` for calls that cannot meaningfully block: ``IOResult/wouldBlock`` becomes an `EAGAIN` error.
@inline(__always)
func syscallValue<T: FixedWidthInteger>(_ function: String, _ body: () -> T) throws -> T {
    switch try syscall(function, body) {
    case .processed(let value):
        return value
    case .wouldBlock:
        throw SystemError(errno: EAGAIN, function: function)
    }
}
