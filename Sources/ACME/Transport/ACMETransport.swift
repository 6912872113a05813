/// Sends one HTTPS request to the ACME server and returns its response; the only I/O the ``ACMEClient`` does.
///
/// Implementations are synchronous because the client runs on worker threads. They verify the CA's TLS certificate,
/// follow no redirects (ACME never needs them), decode the body completely, and throw only for transport failures
/// (DNS, connect, TLS, timeout). HTTP error statuses are returned as responses: the client turns them into
/// ``ACMEError`` values with the server's problem document.
///
/// ```swift
/// struct LoggingTransport: ACMETransport {
///     let inner: any ACMETransport
///     func send(_ request: ACMEHTTPRequest) throws -> ACMEHTTPResponse {
///         try inner.send(request)
///     }
/// }
/// ```
package protocol ACMETransport: Sendable {
    /// Sends `request` and waits for the whole response.
    ///
    /// - Throws: Any error for a failed exchange; the client wraps it in ``ACMEError/Code/transport``.
    func send(_ request: ACMEHTTPRequest) throws -> ACMEHTTPResponse
}
