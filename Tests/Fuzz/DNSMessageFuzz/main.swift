// libFuzzer entry point for the DNS wire format. Built by Fuzz/run-dns-fuzz.sh together with
// Sources/DNS/Wire/*.swift and the pure DNSLookupResult.swift; libFuzzer supplies `main`.
//
// Properties checked for every input:
// - decoding never traps (bounds, pointer loops, lengths), whether it succeeds or throws;
// - a decoded message re-encodes to bytes that decode to an equal message;
// - interpreting it as a lookup response and printing every name terminates.

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzDNSMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = try? DNSMessage.decodeHeaderAndQuestions(bytes)
    guard let message = try? DNSMessage(decoding: bytes) else {
        return 0
    }
    let reencoded = message.encoded()
    let again: DNSMessage
    do {
        again = try DNSMessage(decoding: reencoded)
    } catch {
        preconditionFailure("re-encoded message does not decode: \(error)")
    }
    precondition(again == message, "decode(encode(m)) != m")
    for record in message.answers + message.authorities + message.additionals {
        _ = record.name.description
        if case .txt(let txt) = record.data {
            _ = txt.joinedText
        }
    }
    if let question = message.question {
        _ = question.name.description
        _ = DNSLookupResult(response: message, question: question)
    }
    _ = message.edns
    _ = message.responseCode.description
    return 0
}
