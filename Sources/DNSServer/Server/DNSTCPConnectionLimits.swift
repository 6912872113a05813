/// What one DNS-over-TCP connection may take: its timeouts and message sizes (RFC 7766 §6.2.3, §10).
package struct DNSTCPConnectionLimits: Sendable, Hashable {
    /// How long a connection may sit with no message arriving and nothing to send before it is closed.
    package var idleTimeout: Duration
    /// How long one message may take to arrive once its first byte has: a client trickling bytes (slowloris) is
    /// closed when this passes, however often it sends.
    package var messageTimeout: Duration
    /// How long queued responses may wait for the client to read any of them before the connection is closed.
    package var writeTimeout: Duration
    /// The largest query accepted, in bytes; a longer length prefix closes the connection before its bytes are read.
    package var maximumMessageSize: Int
    /// Response bytes queued for a client before the server stops reading its further queries (back-pressure).
    package var maximumPendingOutput: Int

    /// Creates limits.
    /// - Parameters:
    ///   - idleTimeout: Idle time before closing; RFC 7766 §6.2.3 suggests seconds, not minutes.
    ///   - messageTimeout: The whole-message deadline.
    ///   - writeTimeout: How long responses may wait for the client to read.
    ///   - maximumMessageSize: The query size cap; queries are a few hundred bytes, 4096 leaves room for padding
    ///     (RFC 8467) and signatures.
    ///   - maximumPendingOutput: The back-pressure threshold.
    package init(
        idleTimeout: Duration = .seconds(10),
        messageTimeout: Duration = .seconds(5),
        writeTimeout: Duration = .seconds(10),
        maximumMessageSize: Int = 4096,
        maximumPendingOutput: Int = 65536
    ) {
        self.idleTimeout = idleTimeout
        self.messageTimeout = messageTimeout
        self.writeTimeout = writeTimeout
        self.maximumMessageSize = maximumMessageSize
        self.maximumPendingOutput = maximumPendingOutput
    }

    /// Checks the values.
    /// - Throws: ``DNSServerError/Code-swift.struct/invalidConfiguration`` when a timeout is not positive or a size
    ///   cannot hold a DNS header.
    package func validate() throws(DNSServerError) {
        guard idleTimeout > .zero, messageTimeout > .zero, writeTimeout > .zero else {
            throw DNSServerError(.invalidConfiguration, "TCP timeouts must be positive")
        }
        guard maximumMessageSize >= 12, maximumMessageSize <= 65535, maximumPendingOutput >= 1 else {
            throw DNSServerError(
                .invalidConfiguration,
                "TCP maximumMessageSize must be 12...65535 and maximumPendingOutput at least 1"
            )
        }
    }
}
