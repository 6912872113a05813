import Foundation
import HTTPCore

@testable import SMTPServer

/// Drives an ``SMTPSessionStateMachine`` as the connection would, with a fake monotonic clock and a scripted
/// receiver: feed text, pull actions until the session waits, collect the replies.
struct SessionHarness {
    typealias Machine = SMTPSessionStateMachine

    static let second: UInt64 = 1_000_000_000
    /// When every test's session starts (monotonic nanoseconds).
    static let accepted: UInt64 = 1_000 * second
    /// The wall-clock time stamped on messages.
    static let receivedAt = Date(timeIntervalSince1970: 1_700_000_000)
    static let client = ClientAddress(ipv4: 0xC000_0207)  // 192.0.2.7

    /// What one run produced.
    struct Outcome {
        /// The replies, in order.
        var replies: [SMTPServerReply] = []
        /// The action the run stopped at.
        var final: Machine.Action = .awaitInput
        /// Recipients the receiver was asked about.
        var verified: [SMTPPath] = []
        /// Whether the run pulled `.startTLS`.
        var startedTLS = false

        /// The first line of each reply, as sent: `250 2.1.0 Sender OK`.
        var lines: [String] { replies.map(\.description) }
        /// The reply codes.
        var codes: [Int] { replies.map(\.code) }
        /// The message handed over, if the run stopped at a delivery.
        var message: SMTPReceivedMessage? {
            if case .deliver(let message) = final { return message }
            return nil
        }
    }

    var machine: Machine
    /// The fake clock.
    var now: UInt64 = accepted
    /// The receiver's verdict for each recipient.
    var verdict: (SMTPPath) -> SMTPRecipientVerdict = { _ in .accept }

    /// A session with `configuration`'s limits; STARTTLS offered when `tls`.
    init(configuration: SMTPSessionConfiguration = Self.configuration(), tls: Bool = false) {
        machine = Machine(
            configuration: configuration,
            clientAddress: Self.client,
            isTLSAvailable: tls,
            now: Self.accepted,
            wallClock: { Self.receivedAt }
        )
    }

    /// The configuration of most tests: the defaults with a small message size.
    static func configuration(
        maximumMessageBytes: Int = 1000,
        maximumRecipients: Int = 10,
        maximumErrors: Int = 10,
        maximumCommandsWithoutTransaction: Int = 20,
        minimumDataRate: Int = 1000
    ) -> SMTPSessionConfiguration {
        SMTPSessionConfiguration(
            hostname: "mx.test",
            maximumMessageBytes: maximumMessageBytes,
            maximumRecipients: maximumRecipients,
            maximumErrors: maximumErrors,
            maximumCommandsWithoutTransaction: maximumCommandsWithoutTransaction,
            minimumDataRate: minimumDataRate
        )
    }

    /// `seconds` after the session started.
    static func at(_ seconds: UInt64) -> UInt64 { accepted + seconds * second }

    /// Pulls the greeting.
    @discardableResult
    mutating func start() -> Outcome {
        run()
    }

    /// Starts the session and sends EHLO.
    @discardableResult
    mutating func greeted() -> Outcome {
        start()
        return send("EHLO client.test\r\n")
    }

    /// Feeds `text` as one read at the current time, then runs.
    @discardableResult
    mutating func send(_ text: String) -> Outcome {
        send(Array(text.utf8))
    }

    /// Feeds `bytes` as one read at the current time, then runs.
    @discardableResult
    mutating func send(_ bytes: [UInt8]) -> Outcome {
        machine.receive(bytes, now: now)
        return run()
    }

    /// Pulls actions until the session waits, answering recipient checks with ``verdict``.
    @discardableResult
    mutating func run() -> Outcome {
        var outcome = Outcome()
        while true {
            let action = machine.next(now: now)
            switch action {
            case .send(let reply):
                outcome.replies.append(reply)
            case .verifyRecipient(let path, _):
                outcome.verified.append(path)
                machine.recipientVerdict(verdict(path))
            case .startTLS:
                outcome.startedTLS = true
            case .deliver, .awaitInput, .awaitDelivery, .awaitTLS, .close:
                outcome.final = action
                return outcome
            }
        }
    }

    /// Answers the outstanding delivery, then runs.
    @discardableResult
    mutating func finishDelivery(_ verdict: SMTPDeliveryVerdict) -> Outcome {
        machine.deliveryFinished(verdict, now: now)
        return run()
    }

    /// Fires the timer at `time`, then runs.
    @discardableResult
    mutating func fireTimer(at time: UInt64) -> Outcome {
        now = time
        machine.timerFired(now: time)
        return run()
    }
}
