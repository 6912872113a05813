import Foundation
import Glibc
import Logging
import Testing

/// The access log's buffer: a shard per writer, batches written whole, nothing lost at stop.
@Suite struct LogBufferTests {
    /// A temporary file the buffer writes to, read back whole.
    final class Output {
        let file: UnsafeMutablePointer<FILE>
        var descriptor: CInt { fileno(file) }

        init() throws {
            file = try #require(tmpfile())
        }

        deinit { fclose(file) }

        var text: String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            var offset: off_t = 0
            while true {
                let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
                guard count > 0 else { break }
                bytes.append(contentsOf: chunk[..<count])
                offset += off_t(count)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Two writers at once, each on its own shard, with a capacity small enough that shards are written mid-way:
    /// every line arrives whole, once, and each writer's lines keep their order.
    @Test func shardsFromSeveralThreadsWriteWholeLinesInTheirOrder() throws {
        let output = try Output()
        let buffer = LogBuffer(capacity: 1000, interval: .seconds(3600), descriptor: output.descriptor)
        let writers = 2
        let linesEach = 3000
        let shards = (0..<writers).map { _ in buffer.makeShard() }
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for index in 0..<linesEach {
                shards[writer].append { line in line.append(contentsOf: "writer=\(writer) line=\(index)\n".utf8) }
            }
        }
        #expect(!output.text.isEmpty, "full shards are written before stop")
        buffer.stop()
        let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == writers * linesEach)
        for writer in 0..<writers {
            let own = lines.filter { $0.hasPrefix("writer=\(writer) ") }
            #expect(own == (0..<linesEach).map { "writer=\(writer) line=\($0)"[...] }, "writer \(writer)")
        }
    }

    /// Lines below the capacity are written by the timer while the buffer runs, and a flush with nothing
    /// pending writes nothing.
    @Test func theTimerWritesWhatWaits() throws {
        let output = try Output()
        let buffer = LogBuffer(interval: .milliseconds(20), descriptor: output.descriptor)
        let shard = buffer.makeShard()
        buffer.start()
        defer { buffer.stop() }
        buffer.flush()
        #expect(output.text.isEmpty)
        shard.append { $0.append(contentsOf: "one\n".utf8) }
        let deadline = ContinuousClock.now + .seconds(10)
        while output.text.isEmpty, ContinuousClock.now < deadline { usleep(5_000) }
        #expect(output.text == "one\n")
    }
}
