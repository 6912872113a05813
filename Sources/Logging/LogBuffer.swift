import Dispatch
import Foundation
import Glibc
import Synchronization

/// Log lines collected in memory and written to standard error in batches: one `write(2)` per flush rather
/// than per line, as nginx's `access_log … buffer=` does. For the edge's access log, where a line per request
/// would otherwise cost a system call per request.
///
/// A batch is written when it would pass `capacity`, every `interval` from ``start()``, and at ``stop()``, so a
/// role stopping on SIGTERM loses no line. Lines are appended whole and batches are written in order, so lines
/// never interleave or reorder.
///
/// ```swift
/// let buffer = LogBuffer()
/// buffer.start()
/// let access = Logger(label: "edge", sink: buffer.sink)
/// access.info("request", ["status": "200"])
/// buffer.stop()   // flushes
/// ```
package final class LogBuffer: Sendable {
    private let pending = Mutex<[UInt8]>([])
    /// Held while a batch is taken and written, so batches leave in the order they were filled.
    private let writing = Mutex<Void>(())
    private let capacity: Int
    private let interval: Duration
    private let descriptor: CInt
    private let running = Atomic<Bool>(false)
    private let stopSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - capacity: bytes collected before a batch is written at once.
    ///   - interval: the longest a line waits after ``start()``.
    ///   - descriptor: where batches go (standard error).
    package init(capacity: Int = 64 * 1024, interval: Duration = .seconds(1), descriptor: CInt = 2) {
        self.capacity = max(1, capacity)
        self.interval = interval
        self.descriptor = descriptor
    }

    /// A sink for ``Logger`` that appends to this buffer.
    package var sink: LogSink {
        LogSink { [self] line in append(line) }
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

    /// Appends one line; writes the batch when it is full.
    func append(_ line: String) {
        let full = pending.withLock { bytes in
            bytes.append(contentsOf: line.utf8)
            return bytes.count >= capacity
        }
        if full { flush() }
    }

    /// Writes everything collected so far.
    package func flush() {
        writing.withLock { _ in
            var batch = pending.withLock { bytes in
                var taken: [UInt8] = []
                taken.reserveCapacity(capacity)
                swap(&taken, &bytes)
                return taken
            }
            guard !batch.isEmpty else { return }
            batch.withUnsafeMutableBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }
}
