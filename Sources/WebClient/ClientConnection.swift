import SystemIO

/// A connected byte stream to the server (plain TCP or TLS) whose every wait ends at a deadline.
///
/// The socket underneath is non-blocking; waits use `poll(2)` with whatever is left until the deadline.
protocol ClientConnection: AnyObject {
    /// Sends all of `bytes`.
    /// - Throws: ``HTTPClientError`` (``HTTPClientError/Code/timeout``, ``HTTPClientError/Code/connectionFailed``).
    func write(_ bytes: [UInt8], deadline: Deadline) throws

    /// Reads some bytes into `buffer`, waiting for at least one.
    /// - Returns: The count; 0 when the server closed the connection.
    /// - Throws: ``HTTPClientError`` (``HTTPClientError/Code/timeout``, ``HTTPClientError/Code/connectionFailed``).
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws -> Int

    /// The TLS parameters and the server certificate; `nil` for plain TCP.
    var tlsDetails: ClientTLSDetails? { get }

    /// Ends the connection (TLS: a best-effort close_notify) and closes the socket.
    func close()
}

extension Socket {
    /// Waits until the socket is ready for `events` or throws ``HTTPClientError/Code/timeout`` at `deadline`.
    /// - Parameter step: What is being waited for, for the error message (e.g. `"response"`).
    func wait(for events: EventSet, until deadline: Deadline, step: String) throws {
        let remaining = deadline - Deadline.now()
        guard remaining > .zero else {
            throw HTTPClientError(.timeout, "request timed out waiting for the \(step)")
        }
        let isReady: Bool
        do {
            isReady = try waitUntilReady(for: events, timeout: remaining)
        } catch {
            throw HTTPClientError(.connectionFailed, "poll failed while waiting for the \(step)", underlying: error)
        }
        guard isReady else {
            throw HTTPClientError(.timeout, "request timed out waiting for the \(step)")
        }
    }
}
