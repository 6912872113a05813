import Foundation
import HTTPCore
import SystemIO
import TestSupport
import Testing

@testable import SMTPServer

/// The listener against clients that flood, never finish, or never speak; each test shows the server answers with
/// an SMTP error and stays responsive.
@Suite(.serialized) struct SMTPListenerHostileTests {
    /// A client that has sent EHLO and MAIL.
    func inTransaction(_ server: RunningListener) throws -> SMTPTestClient {
        let client = try SMTPTestClient.connect(try server.address)
        _ = try client.readReply()
        try client.send("EHLO flood.test\r\nMAIL FROM:<a@flood.test>\r\n")
        #expect(try client.readReplies(2).map(\.code) == [250, 250])
        return client
    }

    /// Delivers one message as a well-behaved client, from another loopback address.
    func deliverOne(_ server: RunningListener) throws -> ReadReply {
        let client = try SMTPTestClient.connect(try server.address, from: "127.0.0.2")
        defer { client.close() }
        _ = try client.readReply()
        try client.send("EHLO good.test\r\nMAIL FROM:<>\r\nRCPT TO:<tlsrpt@mx.test>\r\nDATA\r\n")
        _ = try client.readReplies(4)
        try client.send("Subject: report\r\n\r\nok\r\n.\r\nQUIT\r\n")
        let reply = try client.readReply()
        _ = try client.readReply()
        return reply
    }

    @Test func aThousandRecipientsGet452sAndTheConnectionSurvives() throws {
        let server = try RunningListener()
        defer { server.stop() }
        let client = try inTransaction(server)
        defer { client.close() }
        var flood = ""
        for index in 0..<1000 { flood += "RCPT TO:<r\(index)@mx.test>\r\n" }
        try client.send(flood)
        let replies = try client.readReplies(1000)
        #expect(replies.prefix(10).allSatisfy { $0.description == "250 2.1.5 Recipient OK" })
        #expect(replies.dropFirst(10).allSatisfy { $0.description == "452 4.5.3 Too many recipients" })
        try client.send("NOOP\r\nDATA\r\n")
        #expect(try client.readReplies(2).map(\.code) == [250, 354])
        try client.send("x\r\n.\r\n")
        #expect(try client.readReply().code == 250)
        #expect(server.receiver.messages.first?.recipients.count == 10)
        #expect(server.listener.metrics.recipientsRefused == 990)
    }

    @Test func endlessDataIsCutBySizeWhileAnotherClientIsServed() throws {
        let server = try RunningListener(
            session: SMTPSessionConfiguration(hostname: "mx.test", maximumMessageBytes: 64 * 1024)
        )
        defer { server.stop() }
        let flooder = try inTransaction(server)
        defer { flooder.close() }
        try flooder.send("RCPT TO:<tlsrpt@mx.test>\r\nDATA\r\n")
        #expect(try flooder.readReplies(2).map(\.code) == [250, 354])
        let line = Array((String(repeating: "z", count: 78) + "\r\n").utf8)
        let chunk = Array(repeating: line, count: 100).flatMap { $0 }
        var sent = 0
        var cut: ReadReply?
        var isClosed = false
        let deadline = Deadline.after(.seconds(20))
        while cut == nil, !isClosed, Deadline.now() < deadline, sent < 64 * 1024 * 1024 {
            // The server answers once it gives up; until then, keep sending.
            do {
                try flooder.send(chunk, until: .after(.seconds(5)))
                sent += chunk.count
            } catch {
                isClosed = true
            }
            if try flooder.socket.waitUntilReady(for: .readable, timeout: .zero) {
                // A reset that overtakes the reply makes the read fail: the connection is gone either way.
                cut = try? flooder.readReply()
                isClosed = cut == nil
            }
            // A good client is served while the flood goes on.
            if sent == 10 * chunk.count {
                #expect(try deliverOne(server).code == 250)
            }
        }
        if let cut {
            #expect(cut.description == "552 5.3.4 Message size exceeds fixed maximum message size, closing connection")
        }
        #expect(cut != nil || isClosed)
        try Poll.until(deadline: 5, "cut counted") {
            server.listener.metrics.closesByReason["message_too_large"] == 1
        }
        #expect(server.receiver.messages.count == 1)
    }

    @Test func slowDataIsCutByTheMinimumRate() throws {
        let server = try RunningListener(
            session: SMTPSessionConfiguration(
                hostname: "mx.test",
                minimumDataRate: 10_000,
                dataRateGracePeriod: .milliseconds(500)
            )
        )
        defer { server.stop() }
        let client = try inTransaction(server)
        defer { client.close() }
        try client.send("RCPT TO:<tlsrpt@mx.test>\r\nDATA\r\n")
        _ = try client.readReplies(2)
        // A line every 50 ms is about 400 octets a second: far below the minimum.
        var reply: ReadReply?
        let deadline = Deadline.after(.seconds(10))
        while reply == nil, Deadline.now() < deadline {
            try? client.send("slow line\r\n")
            if try client.socket.waitUntilReady(for: .readable, timeout: .milliseconds(50)) {
                reply = try client.readReply()
            }
        }
        #expect(reply?.description == "421 4.4.2 mx.test Timeout, closing connection")
        #expect(try client.isClosedByServer())
        #expect(try deliverOne(server).code == 250)
    }

    @Test func aHundredKibibyteCommandLineGets500AndTheSessionGoesOn() throws {
        let server = try RunningListener()
        defer { server.stop() }
        let client = try SMTPTestClient.connect(try server.address)
        defer { client.close() }
        _ = try client.readReply()
        try client.send("EHLO c.test\r\n")
        _ = try client.readReply()
        try client.send("NOOP " + String(repeating: "A", count: 100 * 1024) + "\r\nNOOP\r\n")
        #expect(try client.readReply().description == "500 5.5.2 Line too long")
        #expect(try client.readReply().description == "250 2.0.0 OK")
    }

    @Test func anIdleClientIsClosedAfterTheCommandTimeout() throws {
        let server = try RunningListener(
            session: SMTPSessionConfiguration(hostname: "mx.test", commandTimeout: .milliseconds(300))
        )
        defer { server.stop() }
        let client = try SMTPTestClient.connect(try server.address)
        defer { client.close() }
        #expect(try client.readReply().code == 220)
        let started = ContinuousClock.now
        #expect(
            try client.readReply(until: .after(.seconds(5))).description
                == "421 4.4.2 mx.test Timeout, closing connection"
        )
        #expect(try client.isClosedByServer())
        #expect(ContinuousClock.now - started >= .milliseconds(250))
        try Poll.until(deadline: 5, "timeout counted") { server.listener.metrics.closesByReason["timeout"] == 1 }
    }

    @Test func aClientThatSendsWithoutReadingIsNotBufferedWithoutLimit() throws {
        let server = try RunningListener(
            session: SMTPSessionConfiguration(hostname: "mx.test", maximumErrors: 1_000_000)
        )
        defer { server.stop() }
        let client = try SMTPTestClient.connect(try server.address)
        defer { client.close() }
        // Unknown commands forever, never reading a reply: the server stops reading once its replies back up,
        // so the client's sends block.
        let junk = Array(String(repeating: "XYZW\r\n", count: 10_000).utf8)
        var blocked = false
        for _ in 0..<1000 {
            do {
                try client.send(junk, until: .after(.milliseconds(500)))
            } catch {
                blocked = true
                break
            }
        }
        #expect(blocked)
        // A good client is still served.
        #expect(try deliverOne(server).code == 250)
    }
}
