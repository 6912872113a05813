// libFuzzer entry point for the SMTP server's session; built by Fuzz/run-smtp-session-fuzz.sh together with
// Sources/SMTPServer/{Protocol,Session,Delivery} (not a SwiftPM target). An input is what a client sends: its
// bytes go to SMTPSessionStateMachine as a stream, followed by the end of the connection. The first byte picks
// the set-up (bit 0: STARTTLS offered) and how the stream is split (the other bits seed the chunk sizes); the rest
// is the stream. Recipients whose local part has an even length are accepted, the others refused; every message is
// accepted at once. A STARTTLS that gets its 220 ends the input (the handshake is not part of this target).
// Beyond "no crash, no ASan report" it checks these oracles and traps on a mismatch:
// 1. the session's output (replies, recipient checks, messages, the close) is the same whether the stream arrives
//    whole, byte by byte, or in chunks derived from the input;
// 2. every reply is well-formed: a code of 200-599, no CR or LF in its text, each line at most 512 octets;
// 3. every message respects the limits: at most `maximumMessageBytes` octets, each line ending in CRLF and at
//    most 998 octets before it, at most `maximumRecipients` recipients, never a `<>` recipient;
// 4. whenever the session asks for input it holds less than a line limit of unconsumed bytes.

import Foundation
import HTTPCore

let configuration = SMTPSessionConfiguration(
    hostname: "mx.fuzz.test",
    maximumMessageBytes: 512,
    maximumRecipients: 3,
    maximumErrors: 10,
    maximumCommandsWithoutTransaction: 8
)

/// Everything the session produced for one input, comparable across feedings.
struct Transcript: Equatable {
    var replies: [SMTPServerReply] = []
    var verified: [SMTPPath] = []
    var messages: [SMTPReceivedMessage] = []
    var end = ""
}

func run(_ bytes: ArraySlice<UInt8>, offersTLS: Bool, chunkSize: (Int) -> Int) -> Transcript {
    var session = SMTPSessionStateMachine(
        configuration: configuration,
        clientAddress: ClientAddress(ipv4: 0xC000_0201),
        isTLSAvailable: offersTLS,
        now: 1_000_000_000,
        wallClock: { Date(timeIntervalSince1970: 0) }
    )
    var transcript = Transcript()
    var offset = bytes.startIndex
    var round = 0
    /// Pulls actions until the session waits; false once it has ended.
    func drain() -> Bool {
        while true {
            switch session.next(now: 1_000_000_000) {
            case .send(let reply):
                check(reply)
                transcript.replies.append(reply)
            case .verifyRecipient(let path, let info):
                precondition(!path.isNull, "null recipient")
                precondition(info.acceptedRecipients.count < configuration.maximumRecipients, "too many recipients")
                transcript.verified.append(path)
                session.recipientVerdict(path.localPart.utf8.count % 2 == 0 ? .accept : .refuse(.unknownRecipient))
            case .deliver(let message):
                check(message)
                transcript.messages.append(message)
                session.deliveryFinished(.accepted(id: "F"), now: 1_000_000_000)
            case .startTLS, .awaitTLS:
                transcript.end = "starttls"
                return false
            case .awaitInput:
                precondition(session.bufferedByteCount < 1000, "\(session.bufferedByteCount) bytes held")
                return true
            case .awaitDelivery:
                preconditionFailure("a delivery was left unanswered")
            case .close(let reason):
                transcript.end = "\(reason)"
                return false
            }
        }
    }
    guard drain() else { return transcript }
    while offset < bytes.endIndex {
        let end = min(offset + max(chunkSize(round), 1), bytes.endIndex)
        session.receive(bytes[offset..<end], now: 1_000_000_000)
        offset = end
        round += 1
        guard drain() else { return transcript }
    }
    session.inputClosed()
    _ = drain()
    return transcript
}

func check(_ reply: SMTPServerReply) {
    precondition((200...599).contains(reply.code), "reply code \(reply.code)")
    let encoded = reply.encoded()
    var lineStart = 0
    for (index, byte) in encoded.enumerated() where byte == 0x0A {
        precondition(index > lineStart && encoded[index - 1] == 0x0D, "bare LF in a reply")
        precondition(index + 1 - lineStart <= 512, "reply line over 512 octets")
        precondition(!encoded[lineStart..<(index - 1)].contains(0x0D), "CR inside a reply line")
        lineStart = index + 1
    }
    precondition(lineStart == encoded.count, "reply does not end with CRLF")
}

func check(_ message: SMTPReceivedMessage) {
    precondition(message.content.count <= configuration.maximumMessageBytes, "message over the limit")
    precondition((1...configuration.maximumRecipients).contains(message.recipients.count), "recipient count")
    var lineStart = 0
    for (index, byte) in message.content.enumerated() where byte == 0x0A {
        precondition(index > lineStart && message.content[index - 1] == 0x0D, "bare LF in the content")
        precondition(index - 1 - lineStart <= 998, "content line over 998 octets")
        lineStart = index + 1
    }
    precondition(lineStart == message.content.count, "content does not end with CRLF")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let offersTLS = input[0] & 1 == 1
    let seed = Int(input[0] >> 1)
    let stream = input[1...]
    let whole = run(stream, offersTLS: offersTLS) { _ in stream.count }
    let byteByByte = run(stream, offersTLS: offersTLS) { _ in 1 }
    let chunked = run(stream, offersTLS: offersTLS) { round in (seed &* 31 &+ round &* 17) % 97 + 1 }
    precondition(whole == byteByByte, "byte-by-byte feeding changed the transcript")
    precondition(whole == chunked, "chunked feeding changed the transcript")
    return 0
}
