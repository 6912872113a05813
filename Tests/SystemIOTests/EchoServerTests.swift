import Foundation
import Synchronization
import Testing

@testable import SystemIO

@Suite struct EchoServerTests {
    @Test func hundredConcurrentClients() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let address = try onLoop(loop) { try EchoAcceptor.start(on: loop) }
        #expect(address.port != 0)

        // All 100 connections are open at the same time before any data flows.
        let clients = try (0..<100).map { _ in try Socket.connect(to: address, timeout: .seconds(10)) }
        let failures = Recorder<String>()
        DispatchQueue.concurrentPerform(iterations: clients.count) { index in
            let message = Array("client \(index) says hello \(String(repeating: "x", count: index * 10))\n".utf8)
            do {
                try clients[index].writeAll(message)
                var received: [UInt8] = []
                while received.count < message.count {
                    guard case .processed(let chunk) = try clients[index].read(maximumCount: 4096), !chunk.isEmpty
                    else {
                        failures.append("client \(index): early end")
                        return
                    }
                    received += chunk
                }
                if received != message { failures.append("client \(index): wrong echo") }
            } catch {
                failures.append("client \(index): \(error)")
            }
        }
        #expect(failures.all.isEmpty)
        #expect(try onLoop(loop) { loop.registrationCount } == 101)
        for client in clients {
            try client.close()
        }
    }

    @Test func largePayloadExercisesWriteBackpressure() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let address = try onLoop(loop) { try EchoAcceptor.start(on: loop) }
        let client = try Socket.connect(to: address, timeout: .seconds(10))
        let payload = (0..<4_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let writeError = Mutex<(any Error)?>(nil)
        let writer = Latch()
        DispatchQueue.global().async {
            do { try client.writeAll(payload) } catch { writeError.withLock { $0 = error } }
            writer.signal()
        }
        var received: [UInt8] = []
        received.reserveCapacity(payload.count)
        while received.count < payload.count {
            guard case .processed(let chunk) = try client.read(maximumCount: 65_536), !chunk.isEmpty else { break }
            received += chunk
        }
        #expect(writer.wait())
        #expect(writeError.withLock { $0 } == nil)
        #expect(received.count == payload.count)
        #expect(received == payload)
    }

    @Test func peerCloseIsSeenAndDeregistered() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let address = try onLoop(loop) { try EchoAcceptor.start(on: loop) }
        let client = try Socket.connect(to: address, timeout: .seconds(10))
        try client.writeAll(Array("ping".utf8))
        #expect(try client.read(maximumCount: 16) == .processed(Array("ping".utf8)))
        #expect(try onLoop(loop) { loop.registrationCount } == 2)
        try client.shutdownWrite()
        // The server closes after seeing end of stream, so our read sees end of stream too.
        #expect(try client.read(maximumCount: 16) == .processed([]))
        #expect(try onLoop(loop) { loop.registrationCount } == 1)
    }
}
