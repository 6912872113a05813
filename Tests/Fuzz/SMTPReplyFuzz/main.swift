// libFuzzer entry point for the SMTP reply parser; built by Fuzz/run-smtp-reply-fuzz.sh together with
// Sources/SMTPClient/Protocol (not a SwiftPM target). An input is what a server sends: its bytes go to
// SMTPReplyParser as a stream of replies, followed by the end of the connection. The first byte picks the limits
// (bit 0: tight limits that reach lineTooLong/tooManyLines with short inputs) and how the stream is split (the
// other bits seed the chunk sizes); the rest is the stream. The seeds in SMTPReplyFuzz/corpus start with "0"
// (default limits) or "1" (tight limits).
// Beyond "no crash, no ASan report" it checks these oracles and traps on a mismatch:
// 1. the verdict (replies, then the error or a clean end) is the same whether the stream arrives whole, byte by
//    byte, or in chunks derived from the input;
// 2. every reply respects the grammar and the limits it was parsed with: a code of 2-5, 0-5 and a digit, at least
//    one and at most `lineCount` lines, no CR or LF in the text, and an enhanced status code only of the reply's
//    class;
// 3. a reply written out again (`ddd-text` lines, then `ddd text`) parses back to an equal reply;
// 4. reading an accepted reply as an EHLO reply never traps, and every keyword it finds is upper-case.

import HTTPCore

/// Small limits reach the line-length and line-count refusals with short inputs.
let tightLimits = SMTPReplyLimits(lineBytes: 16, lineCount: 4)
/// Roomy limits for the round trip: invalid UTF-8 comes back as U+FFFD, which is longer.
let roundTripLimits = SMTPReplyLimits(lineBytes: 1 << 20, lineCount: 1 << 16)

/// Everything the parser produced for one input, comparable across feedings.
struct Verdict: Equatable {
    var replies: [SMTPReply] = []
    var error: SMTPParseError.Code?
}

func parse(_ bytes: ArraySlice<UInt8>, limits: SMTPReplyLimits, chunkSize: (Int) -> Int) -> Verdict {
    var parser = SMTPReplyParser(limits: limits)
    var buffer = ByteBuffer()
    var verdict = Verdict()
    var offset = bytes.startIndex
    var round = 0
    do throws(SMTPParseError) {
        repeat {
            let end = min(offset + max(chunkSize(round), 1), bytes.endIndex)
            buffer.append(contentsOf: bytes[offset..<end])
            offset = end
            round += 1
            while let reply = try parser.next(from: &buffer) {
                verdict.replies.append(reply)
            }
            // Callers may compact the buffer between reads; the parser must not depend on the indices.
            if round % 3 == 0 { buffer.discardReadBytes() }
        } while offset < bytes.endIndex
        try parser.endOfStream()
    } catch {
        verdict.error = error.code
    }
    return verdict
}

func checkGrammar(_ reply: SMTPReply, limits: SMTPReplyLimits) {
    let first = reply.code / 100
    let second = reply.code / 10 % 10
    precondition((2...5).contains(first) && (0...5).contains(second), "reply code \(reply.code) outside the grammar")
    precondition(!reply.lines.isEmpty && reply.lines.count <= limits.lineCount, "line count \(reply.lines.count)")
    for line in reply.lines {
        precondition(!line.utf8.contains(0x0D) && !line.utf8.contains(0x0A), "CR or LF in reply text")
    }
    if let enhanced = reply.enhancedStatusCode {
        precondition(enhanced.statusClass == first, "enhanced status \(enhanced) in a \(reply.code) reply")
    }
}

func rendered(_ reply: SMTPReply) -> [UInt8] {
    var bytes: [UInt8] = []
    for (index, line) in reply.lines.enumerated() {
        let separator = index == reply.lines.count - 1 ? " " : "-"
        bytes += Array("\(reply.code)\(separator)\(line)\r\n".utf8)
    }
    return bytes
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzSMTPReplies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let selector = Int(input[0])
    let stream = input[1...]
    let limits = selector & 1 == 1 ? tightLimits : SMTPReplyLimits.default

    let whole = parse(stream, limits: limits) { _ in stream.count }
    let byteByByte = parse(stream, limits: limits) { _ in 1 }
    let chunked = parse(stream, limits: limits) { round in (selector >> 1) &+ round * 7 % 13 + 1 }
    precondition(whole == byteByByte, "verdict differs when fed byte by byte")
    precondition(whole == chunked, "verdict differs when fed in chunks")

    for reply in whole.replies {
        checkGrammar(reply, limits: limits)
        let again = parse(rendered(reply)[...], limits: roundTripLimits) { _ in Int.max / 2 }
        precondition(again.error == nil && again.replies == [reply], "reply does not survive a round trip")
        _ = reply.text
        _ = reply.description
        if reply.code == 250 {
            let extensions = SMTPServerExtensions(ehloReply: reply)
            for keyword in extensions.keywords {
                precondition(!keyword.name.utf8.contains { $0 >= 0x61 && $0 <= 0x7A }, "lower-case keyword")
            }
            _ = extensions.maximumMessageSize
            _ = extensions.authenticationMechanisms
            _ = extensions.supportsSTARTTLS
        }
    }
    return 0
}
