// libFuzzer entry point for the authoritative responder's query path. Built by Tests/Fuzz/run-dns-responder-fuzz.sh
// from Sources/DNSServer/Zone and Responder against a DNS module built from Sources/DNS/Wire; libFuzzer supplies
// `main`.
//
// Every input is answered as a UDP datagram and as a TCP message, with fixed zone content. Checked each time:
// - the responder never traps, whatever the bytes;
// - it stays silent only for messages shorter than a header or with QR set;
// - every response decodes with DNSMessage(decoding:) into exactly the message it was built from, echoes the ID,
//   has QR set and RA clear, fits the transport, and a truncated one carries no records but the OPT;
// - an echoed question is byte for byte the query's question;
// - the rate limiter's truncated copy decodes too and fits 512 bytes.

import DNS

/// Zone content with a short and a long record.
private struct FuzzContent: AuthoritativeZoneContent {
    let serial: UInt32 = 2_024_061_501

    func stsRecord(label: String) -> String? {
        switch label {
        case "abc123": "v=STSv1; id=20240615T120000"
        case "big": "v=STSv1; id=" + String(repeating: "a", count: 1500)
        default: nil
        }
    }

    func tlsrptRecord(label: String) -> String? {
        label == "abc123" ? "v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.net" : nil
    }
}

private let responder: AuthoritativeResponder = {
    do {
        return try AuthoritativeResponder(
            zone: AuthoritativeZoneConfiguration(
                apex: try DNSName("sts.platform.example"),
                nameServers: [try DNSName("ns1.platform.example"), try DNSName("ns2.platform.example")]
            )
        )
    } catch {
        preconditionFailure("fuzz zone configuration is invalid: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzAuthoritativeResponder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let query = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for transport in DNSServerTransport.allCases {
        switch responder.respond(to: query, over: transport, content: FuzzContent()) {
        case .drop:
            precondition(query.count < 12 || query[2] & 0x80 != 0, "dropped a query that has a header and QR clear")
        case .respond(let response):
            check(response, to: query, over: transport)
            if transport == .udp {
                let slipped = responder.truncated(response)
                check(slipped, to: query, over: transport)
                precondition(slipped.bytes.count <= 512, "a slipped response is \(slipped.bytes.count) bytes")
            }
        }
    }
    return 0
}

private func check(_ response: AuthoritativeResponse, to query: [UInt8], over transport: DNSServerTransport) {
    let decoded: DNSMessage
    do {
        decoded = try DNSMessage(decoding: response.bytes)
    } catch {
        preconditionFailure("response does not decode: \(error)")
    }
    precondition(decoded == response.message, "decoded response differs from the message it was encoded from")
    precondition(decoded.id == UInt16(query[0]) << 8 | UInt16(query[1]), "response ID differs from the query's")
    precondition(decoded.header.isResponse && !decoded.header.isRecursionAvailable, "QR clear or RA set")
    let limit = transport == .udp ? responder.zone.maximumUDPPayload : 65535
    precondition(response.bytes.count <= limit, "\(response.bytes.count)-byte response over \(transport)")
    if decoded.header.isTruncated {
        precondition(decoded.answers.isEmpty && decoded.authorities.isEmpty, "truncated response with records")
        precondition(decoded.additionals.allSatisfy { $0.type == .opt }, "truncated response with non-OPT records")
    }
    if let question = decoded.question {
        let end = 12 + question.name.wireLength + 4
        precondition(
            end <= query.count && Array(response.bytes[12..<end]) == Array(query[12..<end]),
            "echoed question differs from the query's"
        )
    }
}
