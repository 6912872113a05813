import Dispatch
import Foundation
import Synchronization

/// Log lines collected in memory and written to standard error in batches: one `write(2)` per batch rather
/// than per line, as nginx's `access_log … buffer=` does. For the edge's access log, where a line per request
/// would otherwise cost a system call per request.
///
/// Each writer (an event loop) appends to a ``Shard`` of its own, as each nginx worker fills its own buffer, so
/// loops never wait for one another's lines. A shard is written once it holds `capacity` bytes; every shard is
/// written every `interval` from ``start()`` and at ``stop()``, so a role stopping on SIGTERM loses no line.
/// Lines are appended whole and batches are written one at a time, so lines never interleave, and the lines of
/// one shard keep their order.
///
/// ```swift
/// let buffer = LogBuffer()
/// buffer.start()
/// let shard = buffer.makeShard()          // one per loop
/// shard.append { line in line.append(contentsOf: "request status=200\n".utf8) }
/// buffer.stop()   // flushes
/// ```
package final class LogBuffer: Sendable {
    /// One writer's part of the buffer.
    package final class Shard: Sendable {
        private let pending = Mutex<[UInt8]>([])
        private let output: Output

        fileprivate init(output: Output) {
            self.output = output
        }

        /// Appends what `writeLines` appends (whole lines); writes the shard when it is full.
        package func append(_ writeLines: (inout [UInt8]) -> Void) {
            let full = pending.withLock { bytes in
                writeLines(&bytes)
                return bytes.count >= output.capacity
            }
            if full { output.write([self]) }
        }

        /// Takes what is pending, leaving an empty buffer of `capacity` behind.
        fileprivate func take() -> [UInt8] {
            pending.withLock { bytes in
                guard !bytes.isEmpty else { return [] }
                var taken: [UInt8] = []
                taken.reserveCapacity(output.capacity)
                swap(&taken, &bytes)
                return taken
            }
        }
    }

    /// Where shards are written, one batch at a time.
    fileprivate final class Output: Sendable {
        let capacity: Int
        let descriptor: CInt
        /// Held while batches are taken and written, so they never interleave.
        private let writing = Mutex<Void>(())

        init(capacity: Int, descriptor: CInt) {
            self.capacity = capacity
            self.descriptor = descriptor
        }

        func write(_ shards: [Shard]) {
            writing.withLock { _ in
                for shard in shards {
                    shard.take().withUnsafeBytes { writeFully($0, to: descriptor) }
                }
            }
        }
    }

    private let output: Output
    private let shards = Mutex<[Shard]>([])
    private let interval: Duration
    private let running = Atomic<Bool>(false)
    private let stopSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - capacity: bytes a shard collects before it is written at once.
    ///   - interval: the longest a line waits after ``start()``.
    ///   - descriptor: where batches go (standard error).
    package init(capacity: Int = 64 * 1024, interval: Duration = .seconds(1), descriptor: CInt = 2) {
        self.output = Output(capacity: max(1, capacity), descriptor: descriptor)
        self.interval = interval
    }

    /// A new shard, written with the others.
    package func makeShard() -> Shard {
        let shard = Shard(output: output)
        shards.withLock { $0.append(shard) }
        return shard
    }

    /// Starts writing the buffer every `interval`, from a small thread of its own.
    package func start() {
        guard !running.exchange(true, ordering: .relaxed) else { return }
        let (seconds, attoseconds) = interval.components
        let nanoseconds = max(1_000_000, Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        let thread = Thread { [self] in
            while stopSignal.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut { flush() }
            finished.signal()
        }
        thread.name = "log-buffer"
        thread.start()
    }

    /// Stops the thread and writes what is left.
    package func stop() {
        if running.exchange(false, ordering: .relaxed) {
            stopSignal.signal()
            finished.wait()
        }
        flush()
    }

    /// Writes everything collected so far, shard by shard.
    package func flush() {
        output.write(shards.withLock { $0 })
    }
}
