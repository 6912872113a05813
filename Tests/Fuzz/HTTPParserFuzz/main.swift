// libFuzzer entry point for HTTPCore's parsers; built by Fuzz/run-http-fuzz.sh together with Sources/HTTPCore
// (not a SwiftPM target). The first input byte chooses what the rest is: an even byte makes it a stream of
// requests for HTTPRequestParser, an odd byte the response to a GET, HEAD, POST or CONNECT request (bits 1-2)
// for HTTPResponseParser, which is told the connection closed after the last byte. The seeds in corpus/http
// start with "0" (request-*.txt) or "1", "3", "5", "7" (response-*.txt: responses to GET, HEAD, POST, CONNECT).
// Beyond "no crash, no ASan report" it checks these oracles and traps on a mismatch:
// 1. the verdict (heads, bodies, ends, error code) is the same whether the input arrives whole, byte by byte,
//    or split at positions derived from the input;
// 2. every accepted message respects the limits it was parsed with, and a response that ends without an error
//    after the close has exactly one head and one end;
// 3. a response echoing a request's fields serializes to exactly one line per field (no injection);
// 4. an accepted response, written again by HTTPResponseHead with a Content-Length, parses back to the same
//    status, version, fields and body;
// 5. the client address an accepted request resolves to through trusted proxies (its Forwarded and
//    X-Forwarded-For fields, walked all the way or not at all) is the peer or a hop of its chains, and prints
//    as text that parses back to it; so does every field value that parses as an IP literal.

/// Small limits reach the 413/414/431 paths with short inputs.
let tightLimits = HTTPParserLimits(
    requestLineBytes: 64,
    statusLineBytes: 64,
    headerBytes: 256,
    headerCount: 8,
    bodyBytes: 512
)
/// Roomy limits for the round trip: replacing invalid UTF-8 by U+FFFD may lengthen a re-serialized head.
let roundTripLimits = HTTPParserLimits(statusLineBytes: 1 << 16, headerBytes: 1 << 20, headerCount: 1 << 16)
/// The request methods a response can answer, chosen by bits 1-2 of the first byte.
let responseMethods: [HTTPMethod] = [.get, .head, .post, .connect]

// MARK: - Requests

/// Everything the request parser produced for one input, comparable across feedings.
struct RequestVerdict: Equatable {
    var heads: [HTTPRequestHead] = []
    var bodies: [[UInt8]] = []
    var completed = 0
    var error: HTTPParseError.Code?
}

func parseRequests(_ bytes: ArraySlice<UInt8>, limits: HTTPParserLimits, splitSizes: (Int) -> Int) -> RequestVerdict {
    var parser = HTTPRequestParser(limits: limits)
    var buffer = ByteBuffer()
    var verdict = RequestVerdict()
    var offset = bytes.startIndex
    var round = 0
    repeat {
        let end = min(offset + max(splitSizes(round), 1), bytes.endIndex)
        buffer.append(contentsOf: bytes[offset..<end])
        offset = end
        round += 1
        do {
            while let event = try parser.next(from: &buffer) {
                switch event {
                case .head(let head):
                    verdict.heads.append(head)
                    verdict.bodies.append([])
                case .body(let chunk):
                    guard !verdict.bodies.isEmpty else { fatalError("body before head") }
                    verdict.bodies[verdict.bodies.count - 1].append(contentsOf: chunk)
                case .end:
                    verdict.completed += 1
                }
            }
        } catch {
            verdict.error = error.code
            return verdict
        }
        if round % 3 == 0 { buffer.discardReadBytes() }
    } while offset < bytes.endIndex
    return verdict
}

func checkLimits(_ verdict: RequestVerdict, _ limits: HTTPParserLimits) {
    for head in verdict.heads {
        if head.fields.count > limits.headerCount { fatalError("header count over limit") }
        if head.target.utf8.count > limits.requestLineBytes { fatalError("target over limit") }
    }
    for body in verdict.bodies where body.count > limits.bodyBytes { fatalError("body over limit") }
    if verdict.completed > verdict.heads.count { fatalError("more ends than heads") }
}

func checkSerializer(_ head: HTTPRequestHead) {
    let response = HTTPResponseHead(status: .ok, fields: head.fields).bytes
    var lineFeeds = 0
    for (index, byte) in response.enumerated() {
        if byte == 0x0A {
            lineFeeds += 1
            if index == 0 || response[index - 1] != 0x0D { fatalError("bare LF in serialized response") }
        }
        if byte == 0x0D, index + 1 < response.count, response[index + 1] != 0x0A { fatalError("bare CR") }
    }
    if lineFeeds != head.fields.count + 2 { fatalError("serialized response has extra lines") }
}

/// Trusting every address walks a chain to its left end; trusting only loopback stops at the first hop.
let proxySets = [
    TrustedProxies([CIDRBlock("0.0.0.0/0"), CIDRBlock("::/0")].compactMap { $0 }),
    TrustedProxies([CIDRBlock("127.0.0.0/8")].compactMap { $0 }),
]
/// The TCP peer every fuzzed request comes from: a trusted proxy for both sets.
let fuzzPeer = ClientAddress(ipv4: 0x7F00_0001)

func checkClientAddress(_ head: HTTPRequestHead) {
    let forwarded = ForwardedNode.chain(forwarded: head.fields.values(for: .forwarded)) ?? []
    let xForwardedFor = ForwardedNode.chain(xForwardedFor: head.fields.values(for: .xForwardedFor))
    for proxies in proxySets {
        let client = proxies.clientAddress(peer: fuzzPeer, fields: head.fields)
        if client != fuzzPeer && !(forwarded + xForwardedFor).contains(.address(client)) {
            fatalError("client address from nowhere")
        }
        if ClientAddress(client.description) != client { fatalError("client address text does not parse back") }
        if ClientAddress.limitKey(client.description) != client.limitKey { fatalError("limit keys differ") }
    }
    for field in head.fields {
        if let address = ClientAddress(field.value), ClientAddress(address.description) != address {
            fatalError("IP literal text does not parse back")
        }
    }
}

func fuzzRequests(_ bytes: ArraySlice<UInt8>, seed: UInt64) {
    for limits in [HTTPParserLimits.default, tightLimits] {
        let whole = parseRequests(bytes, limits: limits) { _ in bytes.count }
        let byteByByte = parseRequests(bytes, limits: limits) { _ in 1 }
        let split = parseRequests(bytes, limits: limits) { round in Int((seed >> UInt64(round % 60)) & 0x1F) + 1 }
        if whole != byteByByte || whole != split { fatalError("request verdict depends on how bytes are split") }
        checkLimits(whole, limits)
        for head in whole.heads {
            checkSerializer(head)
            checkClientAddress(head)
        }
    }
}

// MARK: - Responses

/// Everything the response parser produced for one input, comparable across feedings.
struct ResponseVerdict: Equatable {
    var head: HTTPResponseHead?
    var heads = 0
    var body: [UInt8] = []
    var ends = 0
    var error: HTTPParseError.Code?
}

func parseResponse(
    _ bytes: ArraySlice<UInt8>,
    method: HTTPMethod,
    limits: HTTPParserLimits,
    splitSizes: (Int) -> Int
) -> ResponseVerdict {
    var parser = HTTPResponseParser(limits: limits, requestMethod: method)
    var buffer = ByteBuffer()
    var verdict = ResponseVerdict()
    func record(_ event: HTTPResponseParser.Event) {
        switch event {
        case .head(let head):
            verdict.head = head
            verdict.heads += 1
        case .body(let chunk):
            if verdict.heads == 0 || verdict.ends > 0 { fatalError("body outside the response") }
            verdict.body.append(contentsOf: chunk)
        case .end:
            verdict.ends += 1
        }
    }
    var offset = bytes.startIndex
    var round = 0
    do {
        repeat {
            let end = min(offset + max(splitSizes(round), 1), bytes.endIndex)
            buffer.append(contentsOf: bytes[offset..<end])
            offset = end
            round += 1
            while let event = try parser.next(from: &buffer) { record(event) }
            if round % 3 == 0 { buffer.discardReadBytes() }
        } while offset < bytes.endIndex
        if let event = try parser.endOfStream() { record(event) }
    } catch {
        verdict.error = error.code
    }
    return verdict
}

func checkLimits(_ verdict: ResponseVerdict, _ limits: HTTPParserLimits) {
    if verdict.heads > 1 || verdict.ends > verdict.heads { fatalError("more than one response") }
    if verdict.error == nil, verdict.ends != 1 { fatalError("closed response neither complete nor refused") }
    if let head = verdict.head, head.fields.count > limits.headerCount { fatalError("header count over limit") }
    if verdict.body.count > limits.bodyBytes { fatalError("body over limit") }
}

/// Writes an accepted response again (framing fields replaced by a Content-Length) and parses it back.
func checkRoundTrip(_ verdict: ResponseVerdict, method: HTTPMethod) {
    guard verdict.error == nil, var head = verdict.head else { return }
    head.fields.remove(.contentLength)
    head.fields.remove(.transferEncoding)
    var bytes: [UInt8] = []
    head.writeResponse(body: verdict.body, isHeadRequest: method == .head, into: &bytes)
    let again = parseResponse(bytes[...], method: method, limits: roundTripLimits) { _ in bytes.count }
    guard again.error == nil, var parsed = again.head else { fatalError("written response does not parse") }
    parsed.fields.remove(.contentLength)
    if parsed.status != head.status || parsed.version != head.version || parsed.fields != head.fields {
        fatalError("written response parses to a different head")
    }
    if again.body != verdict.body { fatalError("written response parses to a different body") }
}

func fuzzResponse(_ bytes: ArraySlice<UInt8>, method: HTTPMethod, seed: UInt64) {
    for limits in [HTTPParserLimits.default, tightLimits] {
        let whole = parseResponse(bytes, method: method, limits: limits) { _ in bytes.count }
        let byteByByte = parseResponse(bytes, method: method, limits: limits) { _ in 1 }
        let split = parseResponse(bytes, method: method, limits: limits) { round in
            Int((seed >> UInt64(round % 60)) & 0x1F) + 1
        }
        if whole != byteByByte || whole != split { fatalError("response verdict depends on how bytes are split") }
        checkLimits(whole, limits)
        checkRoundTrip(whole, method: method)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParsers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = bytes.first else { return 0 }
    let message = bytes[1...]
    let seed = message.reduce(into: UInt64(1_469_598_103_934_665_603)) { $0 = ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
    if selector & 1 == 0 {
        fuzzRequests(message, seed: seed)
    } else {
        fuzzResponse(message, method: responseMethods[Int(selector >> 1) & 3], seed: seed)
    }
    return 0
}
