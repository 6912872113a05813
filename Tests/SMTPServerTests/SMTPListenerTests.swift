import Foundation
import HTTPCore
import SystemIO
import TLS
import TestSupport
import Testing

@testable import SMTPServer

/// The listener on 127.0.0.1 with real clients: Python's smtplib, `openssl s_client -starttls smtp`, and raw
/// sockets for what those cannot do (caps, shutdown, a full pool).
@Suite(.serialized) struct SMTPListenerTests {
    @Test func smtplibDeliversAReportInPlaintext() throws {
        let directory = try TemporaryDirectory(prefix: "smtpd")
        defer { directory.remove() }
        let server = try RunningListener()
        defer { server.stop() }
        let output = try PythonSMTPClient.run(port: try server.port, startTLS: false, caFile: "", directory: directory)
        #expect(output.contains("DATA 250 2.0.0 OK: queued as T1"))
        #expect(output.contains("TLS False"))
        let message = try #require(server.receiver.messages.first)
        #expect(message.reversePath.mailbox == "reporter@sender.test")
        #expect(message.recipients.map(\.mailbox) == ["tlsrpt@mx.test"])
        #expect(message.heloName == "sender.test")
        #expect(message.clientAddress.description == "127.0.0.1")
        #expect(!message.usesTLS)
        let text = String(decoding: message.content, as: UTF8.self)
        #expect(text.hasPrefix("From: reporter@sender.test\r\nTo: tlsrpt@mx.test\r\n"))
        #expect(text.hasSuffix("\r\n\r\n.starts with a dot\r\nbody line\r\n"))
        try Poll.until(deadline: 5, "session counted") { server.listener.metrics.closesByReason["quit"] == 1 }
        let metrics = server.listener.metrics
        #expect(metrics.messagesAccepted == 1)
        #expect(metrics.recipientsAccepted == 1)
        #expect(metrics.totalAccepted == 1)
        #expect(metrics.tlsSessions == 0)
    }

    @Test func smtplibDeliversOverSTARTTLS() throws {
        let directory = try TemporaryDirectory(prefix: "smtpd")
        defer { directory.remove() }
        let certificates = try TestCertificates(directory: directory)
        let server = try RunningListener(tls: certificates.serverContext)
        defer { server.stop() }
        let output = try PythonSMTPClient.run(
            port: try server.port,
            startTLS: true,
            caFile: certificates.caFile,
            directory: directory
        )
        #expect(output.contains("DATA 250 2.0.0 OK: queued as T1"))
        #expect(output.contains("TLS True"))
        let message = try #require(server.receiver.messages.first)
        #expect(message.usesTLS)
        #expect(server.listener.metrics.tlsSessions == 1)
    }

    @Test func opensslSClientNegotiatesSTARTTLSAndVerifiesTheCertificate() throws {
        let directory = try TemporaryDirectory(prefix: "smtpd")
        defer { directory.remove() }
        let certificates = try TestCertificates(directory: directory)
        let server = try RunningListener(tls: certificates.serverContext)
        defer { server.stop() }
        let openssl = try Requirement.executable("openssl", installHint: "apt-get install openssl")
        let (termination, output) = try ManagedProcess.run(
            name: "s_client",
            executable: openssl,
            arguments: [
                "s_client", "-starttls", "smtp", "-name", "client.test", "-connect", "127.0.0.1:\(try server.port)",
                "-servername", "mx.test", "-CAfile", certificates.caFile, "-verify_return_error",
            ],
            logDirectory: directory.path
        )
        #expect(termination == .exited(0), "\(output)")
        #expect(output.contains("Verify return code: 0 (ok)"))
        #expect(output.contains("TLSv1.3"))
        try Poll.until(deadline: 5, "TLS session counted") { server.listener.metrics.tlsSessions == 1 }
    }

    @Test func pipelinedPlaintextAfterSTARTTLSIsDiscarded() throws {
        let directory = try TemporaryDirectory(prefix: "smtpd")
        defer { directory.remove() }
        let certificates = try TestCertificates(directory: directory)
        let server = try RunningListener(tls: certificates.serverContext)
        defer { server.stop() }
        let client = try SMTPTestClient.connect(try server.address)
        defer { client.close() }
        #expect(try client.readReply().code == 220)
        try client.send("EHLO client.test\r\n")
        #expect(try client.readReply().lines.last == "250 STARTTLS")
        // CVE-2011-0411: commands appended to STARTTLS in the same packet.
        try client.send("STARTTLS\r\nMAIL FROM:<evil@attacker.test>\r\nRCPT TO:<tlsrpt@mx.test>\r\n")
        #expect(try client.readReply().description == "220 2.0.0 Ready to start TLS")
        try client.startTLS(context: certificates.clientContext, serverName: "mx.test")
        // Inside TLS nothing of the injected transaction exists, and nothing answered it.
        try client.send("RCPT TO:<tlsrpt@mx.test>\r\n")
        #expect(try client.readReply().description == "503 5.5.1 Send EHLO/HELO first")
        try client.send("EHLO client.test\r\n")
        let ehlo = try client.readReply()
        #expect(ehlo.code == 250 && !ehlo.lines.contains { $0.contains("STARTTLS") })
        try client.send("QUIT\r\n")
        #expect(try client.readReply().code == 221)
    }

    @Test func aFailedHandshakeClosesTheConnection() throws {
        let directory = try TemporaryDirectory(prefix: "smtpd")
        defer { directory.remove() }
        let certificates = try TestCertificates(directory: directory)
        let server = try RunningListener(tls: certificates.serverContext)
        defer { server.stop() }
        let client = try SMTPTestClient.connect(try server.address)
        defer { client.close() }
        _ = try client.readReply()
        // Plaintext where the ClientHello belongs.
        try client.send("STARTTLS\r\n")
        _ = try client.readReply()
        try client.send("EHLO not-a-client-hello.test\r\n")
        #expect(try client.isClosedByServer())
        try Poll.until(deadline: 5, "handshake failure counted") {
            server.listener.metrics.closesByReason["handshake_failed"] == 1
        }
    }

    @Test func connectionsOverThePerAddressCapGet421() throws {
        let server = try RunningListener(maxConnectionsPerAddress: 2)
        defer { server.stop() }
        let first = try SMTPTestClient.connect(try server.address)
        let second = try SMTPTestClient.connect(try server.address)
        defer {
            first.close()
            second.close()
        }
        #expect(try first.readReply().code == 220)
        #expect(try second.readReply().code == 220)
        let third = try SMTPTestClient.connect(try server.address)
        defer { third.close() }
        #expect(try third.readReply().description == "421 4.7.0 mx.test Too many connections, try again later")
        #expect(try third.isClosedByServer())
        // Another client is not held to this one's share.
        let other = try SMTPTestClient.connect(try server.address, from: "127.0.0.2")
        defer { other.close() }
        #expect(try other.readReply().code == 220)
        #expect(server.listener.metrics.totalRejectedPerAddress == 1)
    }

    @Test func aFullDeliveryPoolDefersTheMessageWith451() throws {
        let server = try RunningListener(poolQueue: 0)
        defer { server.stop() }
        let client = try SMTPTestClient.connect(try server.address)
        defer { client.close() }
        _ = try client.readReply()
        try client.send("EHLO c.test\r\nMAIL FROM:<>\r\nRCPT TO:<tlsrpt@mx.test>\r\nDATA\r\n")
        #expect(try client.readReplies(4).map(\.code) == [250, 250, 250, 354])
        try client.send("report\r\n.\r\n")
        #expect(try client.readReply().description == "451 4.3.2 Try again later")
        try client.send("NOOP\r\n")
        #expect(try client.readReply().code == 250)
        #expect(server.listener.metrics.deliveriesDeferred == 1)
    }

    @Test func shutdownLetsADeliveryFinishAndEndsIdleSessionsWith421() throws {
        let server = try RunningListener(receiver: TestReceiver(holdsDeliveries: true))
        defer { server.stop() }
        let busy = try SMTPTestClient.connect(try server.address)
        let idle = try SMTPTestClient.connect(try server.address)
        defer {
            busy.close()
            idle.close()
        }
        _ = try busy.readReply()
        _ = try idle.readReply()
        try busy.send("EHLO c.test\r\nMAIL FROM:<>\r\nRCPT TO:<tlsrpt@mx.test>\r\nDATA\r\n")
        _ = try busy.readReplies(4)
        try busy.send("report\r\n.\r\n")
        try Poll.until(deadline: 5, "delivery held") { server.receiver.waitingDeliveries == 1 }
        let stopped = DispatchSemaphore(value: 0)
        let listener = server.listener
        Thread.detachNewThread {
            listener.shutdown(gracePeriod: .seconds(10))
            stopped.signal()
        }
        #expect(try idle.readReply().description == "421 4.3.2 mx.test Service shutting down")
        #expect(try idle.isClosedByServer())
        // New connections are refused once every loop has closed its listener.
        let address = try server.address
        try Poll.until(deadline: 5, "listeners closed") { (try? SMTPTestClient.connect(address)) == nil }
        server.receiver.openGate()
        #expect(try busy.readReply().description == "250 2.0.0 OK: queued as T1")
        #expect(try busy.readReply().description == "421 4.3.2 mx.test Service shutting down")
        #expect(stopped.wait(timeout: .now() + 10) == .success)
        #expect(server.listener.metrics.currentConnections == 0)
    }
}
