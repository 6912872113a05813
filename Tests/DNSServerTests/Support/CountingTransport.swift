import DNS
import Synchronization

/// Counts the TCP exchanges of the real transport (to see the fallback after TC).
final class CountingTransport: DNSTransport {
    private let inner = SocketDNSTransport()
    private let count = Mutex(0)

    var tcpExchanges: Int { count.withLock { $0 } }

    func exchangeUDP(
        _ query: [UInt8],
        with server: DNSServerAddress,
        timeout: Duration,
        isExpectedResponse: ([UInt8]) -> Bool
    ) -> DNSTransportResult {
        inner.exchangeUDP(query, with: server, timeout: timeout, isExpectedResponse: isExpectedResponse)
    }

    func exchangeTCP(_ query: [UInt8], with server: DNSServerAddress, timeout: Duration) -> DNSTransportResult {
        count.withLock { $0 += 1 }
        return inner.exchangeTCP(query, with: server, timeout: timeout)
    }
}
