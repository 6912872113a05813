import Synchronization

@testable import DNS

/// A ``DNSTransport`` that answers from a script instead of the network, recording every exchange.
final class ScriptedTransport: DNSTransport {
    /// One exchange the client asked for.
    struct Call: Sendable {
        var isTCP: Bool
        var server: DNSServerAddress
        var query: DNSMessage
    }

    /// What the script does with an exchange.
    enum Step: Sendable {
        /// Datagrams (UDP) offered in order, or the TCP response (first element).
        case deliver([[UInt8]])
        case timeout
        case failure(String)
    }

    private let script: @Sendable (Call) -> Step
    private let recorded = Mutex<[Call]>([])

    init(_ script: @escaping @Sendable (Call) -> Step) {
        self.script = script
    }

    var calls: [Call] { recorded.withLock { $0 } }

    func exchangeUDP(
        _ query: [UInt8],
        with server: DNSServerAddress,
        timeout: Duration,
        isExpectedResponse: ([UInt8]) -> Bool
    ) -> DNSTransportResult {
        switch step(query, server: server, isTCP: false) {
        case .deliver(let datagrams):
            return datagrams.first(where: isExpectedResponse).map(DNSTransportResult.response) ?? .timeout
        case .timeout:
            return .timeout
        case .failure(let message):
            return .failure(message)
        }
    }

    func exchangeTCP(_ query: [UInt8], with server: DNSServerAddress, timeout: Duration) -> DNSTransportResult {
        switch step(query, server: server, isTCP: true) {
        case .deliver(let responses):
            return responses.first.map(DNSTransportResult.response) ?? .timeout
        case .timeout:
            return .timeout
        case .failure(let message):
            return .failure(message)
        }
    }

    private func step(_ bytes: [UInt8], server: DNSServerAddress, isTCP: Bool) -> Step {
        guard let query = try? DNSMessage(decoding: bytes) else { return .failure("client sent garbage") }
        let call = Call(isTCP: isTCP, server: server, query: query)
        recorded.withLock { $0.append(call) }
        return script(call)
    }
}

/// Builds a response to `query` echoing its question.
func reply(
    to query: DNSMessage,
    id: UInt16? = nil,
    rcode: DNSResponseCode = .noError,
    answers: [DNSResourceRecord] = [],
    truncated: Bool = false,
    question: DNSQuestion? = nil,
    isResponse: Bool = true
) -> [UInt8] {
    DNSMessage(
        header: DNSHeader(
            id: id ?? query.id,
            isResponse: isResponse,
            isTruncated: truncated,
            isRecursionAvailable: true,
            rcode: rcode
        ),
        questions: [question ?? query.questions[0]],
        answers: answers
    ).encoded()
}
