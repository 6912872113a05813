// libFuzzer entry point for HTTPRequestParser; built by Fuzz/run-http-fuzz.sh together with Sources/HTTPCore
// (not a SwiftPM target). Beyond "no crash, no ASan report" it checks three oracles and traps on a mismatch:
// 1. the verdict (requests, bodies, error code) is the same whether the input arrives whole, byte by byte,
//    or split at positions derived from the input;
// 2. every accepted request respects the limits it was parsed with;
// 3. a response echoing the request's fields serializes to exactly one line per field (no injection).

/// Everything the parser produced for one input, comparable across feedings.
struct Verdict: Equatable {
    var heads: [HTTPRequestHead] = []
    var bodies: [[UInt8]] = []
    var completed = 0
    var error: HTTPParseError.Code?
}

/// Small limits reach the 413/414/431 paths with short inputs.
let tightLimits = HTTPParserLimits(requestLineBytes: 64, headerBytes: 256, headerCount: 8, bodyBytes: 512)

func parse(_ bytes: [UInt8], limits: HTTPParserLimits, splitSizes: (Int) -> Int) -> Verdict {
    var parser = HTTPRequestParser(limits: limits)
    var buffer = ByteBuffer()
    var verdict = Verdict()
    var offset = 0
    var round = 0
    repeat {
        let end = min(offset + max(splitSizes(round), 1), bytes.count)
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
    } while offset < bytes.count
    return verdict
}

func checkLimits(_ verdict: Verdict, _ limits: HTTPParserLimits) {
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

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let seed = bytes.reduce(into: UInt64(1_469_598_103_934_665_603)) { $0 = ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
    for limits in [HTTPParserLimits.default, tightLimits] {
        let whole = parse(bytes, limits: limits) { _ in bytes.count }
        let byteByByte = parse(bytes, limits: limits) { _ in 1 }
        let split = parse(bytes, limits: limits) { round in Int((seed >> UInt64(round % 60)) & 0x1F) + 1 }
        if whole != byteByByte || whole != split { fatalError("verdict depends on how bytes are split") }
        checkLimits(whole, limits)
        for head in whole.heads { checkSerializer(head) }
    }
    return 0
}
