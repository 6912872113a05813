/// Moves encoded DNS messages to a server and back; ``DNSClient`` does everything else.
///
/// ``SocketDNSTransport`` is the real implementation; tests substitute a scripted fake.
package protocol DNSTransport: Sendable {
    /// Sends `query` in one UDP datagram and waits for a datagram that `isExpectedResponse` accepts.
    ///
    /// Datagrams it rejects (wrong ID, wrong question, garbage) are dropped and waiting continues until
    /// `timeout` has passed in total, so a spoofed reply cannot end the exchange early.
    func exchangeUDP(
        _ query: [UInt8],
        with server: DNSServerAddress,
        timeout: Duration,
        isExpectedResponse: ([UInt8]) -> Bool
    ) -> DNSTransportResult

    /// Sends `query` over a new TCP connection with the 2-byte length prefix (RFC 1035 §4.2.2) and returns
    /// the first response message.
    func exchangeTCP(_ query: [UInt8], with server: DNSServerAddress, timeout: Duration) -> DNSTransportResult
}

/// The outcome of one transport exchange.
package enum DNSTransportResult: Sendable, Hashable {
    /// The response bytes.
    case response([UInt8])
    /// Nothing acceptable arrived in time.
    case timeout
    /// A socket operation failed, e.g. the port was unreachable.
    case failure(String)
}
