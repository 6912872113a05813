/// A blocking stub resolver client: UDP with EDNS(0), TCP when truncated, strict response matching.
///
/// Each query gets a random ID and a fresh socket (random source port). A reply counts only when its ID,
/// QR bit and echoed question (name case-insensitively, type, class) match; anything else is dropped and
/// waiting continues, so spoofed datagrams cannot end a lookup. Resolvers are tried in order, `attempts`
/// rounds in total; timeouts, socket errors and failure response codes move on to the next resolver.
///
/// ```swift
/// let client = DNSClient(resolvers: [try DNSServerAddress("127.0.0.1:5353")], timeout: .seconds(1))
/// switch client.query(try DNSName("_mta-sts.example.com"), type: .txt) {
/// case .answer(let records, _): ...
/// case .nxdomain, .noData: ...
/// default: ...
/// }
/// ```
package struct DNSClient: Sendable {
    /// Resolvers, tried in order.
    package var resolvers: [DNSServerAddress]
    /// Time allowed for each exchange with one resolver (UDP, and TCP again after truncation).
    package var timeout: Duration
    /// Rounds over all resolvers (at least one).
    package var attempts: Int
    /// UDP advertised in EDNS(0).
    package var udpPayloadSize: UInt16
    /// How bytes reach the resolvers.
    package var transport: any DNSTransport

    /// Creates a client.
    package init(
        resolvers: [DNSServerAddress],
        timeout: Duration = .seconds(2),
        attempts: Int = 2,
        udpPayloadSize: UInt16 = 4096,
        transport: any DNSTransport = SocketDNSTransport()
    ) {
        self.resolvers = resolvers
        self.timeout = timeout
        self.attempts = attempts
        self.udpPayloadSize = udpPayloadSize
        self.transport = transport
    }

    /// Looks up `type` records for `name`, following CNAMEs in the answer.
    /// - Returns: the first conclusive result, or the last failure when every attempt failed.
    package func query(_ name: DNSName, type: DNSRecordType) -> DNSLookupResult {
        guard !resolvers.isEmpty else {
            return .networkError("no resolvers configured")
        }
        var lastFailure = DNSLookupResult.timeout
        for _ in 0..<max(1, attempts) {
            for server in resolvers {
                let result = exchange(name: name, type: type, with: server)
                switch result {
                case .answer, .nxdomain, .noData:
                    return result
                case .serverFailure, .timeout, .networkError:
                    lastFailure = result
                }
            }
        }
        return lastFailure
    }

    /// Parses `name` and looks it up.
    /// - Throws: ``DNSError`` when `name` is not a valid domain name.
    package func query(_ name: String, type: DNSRecordType) throws(DNSError) -> DNSLookupResult {
        query(try DNSName(name), type: type)
    }

    /// One query to one server: UDP first, TCP when the UDP reply has TC set.
    func exchange(name: DNSName, type: DNSRecordType, with server: DNSServerAddress) -> DNSLookupResult {
        let query = DNSMessage.query(
            id: UInt16.random(in: .min ... .max),
            name: name,
            type: type,
            udpPayloadSize: udpPayloadSize
        )
        let question = DNSQuestion(name: name, type: type)
        let bytes = query.encoded()
        let udp = transport.exchangeUDP(bytes, with: server, timeout: timeout) { datagram in
            Self.isAcceptableDatagram(datagram, id: query.id, question: question)
        }
        switch udp {
        case .timeout:
            return .timeout
        case .failure(let message):
            return .networkError(message)
        case .response(let datagram):
            if let message = try? DNSMessage(decoding: datagram), !message.header.isTruncated {
                return DNSLookupResult(response: message, question: question)
            }
        }
        switch transport.exchangeTCP(bytes, with: server, timeout: timeout) {
        case .timeout:
            return .timeout
        case .failure(let message):
            return .networkError(message)
        case .response(let bytes):
            guard let message = try? DNSMessage(decoding: bytes),
                Self.isResponse(message, id: query.id, question: question)
            else {
                return .networkError("malformed or mismatched TCP response from \(server)")
            }
            return DNSLookupResult(response: message, question: question)
        }
    }

    /// Accepts a datagram that decodes and matches, or a truncated one whose header and question match.
    static func isAcceptableDatagram(_ datagram: [UInt8], id: UInt16, question: DNSQuestion) -> Bool {
        if let message = try? DNSMessage(decoding: datagram) {
            return isResponse(message, id: id, question: question)
        }
        guard let partial = try? DNSMessage.decodeHeaderAndQuestions(datagram) else { return false }
        return partial.header.isTruncated && isResponse(partial, id: id, question: question)
    }

    /// Whether `message` answers the query with `id` and `question` (RFC 5452 §4.3 matching).
    package static func isResponse(_ message: DNSMessage, id: UInt16, question: DNSQuestion) -> Bool {
        message.header.id == id && message.header.isResponse && message.header.opcode == .query
            && message.questions == [question]
    }
}
