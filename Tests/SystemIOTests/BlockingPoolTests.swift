import Foundation
import Glibc
import Synchronization
import Testing

@testable import SystemIO

@Suite struct BlockingPoolTests {
    @Test func runsWorkOffLoopAndPostsResultBack() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let pool = BlockingPool(numberOfThreads: 2)
        defer { pool.shutdown() }
        let observations = Recorder<String>()
        let latch = Latch()
        let work: @Sendable () -> Int = {
            observations.append("work on loop: \(loop.inEventLoop)")
            return 6 * 7
        }
        pool.submit(work, completingOn: loop) { result in
            observations.append("completion on loop: \(loop.inEventLoop), value: \((try? result.get()) ?? -1)")
            latch.signal()
        }
        #expect(latch.wait())
        #expect(observations.all == ["work on loop: false", "completion on loop: true, value: 42"])
    }

    @Test func errorsArePostedBack() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let pool = BlockingPool(numberOfThreads: 1)
        defer { pool.shutdown() }
        let received = Mutex<SystemError?>(nil)
        let latch = Latch()
        let work: @Sendable () throws -> Int = { throw SystemError(errno: EIO, function: "PQexec") }
        pool.submit(work, completingOn: group.next()) { result in
            if case .failure(let error as SystemError) = result { received.withLock { $0 = error } }
            latch.signal()
        }
        #expect(latch.wait())
        #expect(received.withLock { $0 } == SystemError(errno: EIO, function: "PQexec"))
    }

    @Test func shutdownFinishesQueuedWorkInParallel() {
        let pool = BlockingPool(numberOfThreads: 3)
        #expect(pool.threadCount == 3)
        let done = Atomic<Int>(0)
        let threads = Recorder<UInt>()
        let submitter = pthread_self()
        for _ in 0..<300 {
            pool.submit {
                threads.append(pthread_self())
                done.wrappingAdd(1, ordering: .relaxed)
            }
        }
        pool.shutdown()
        #expect(done.load(ordering: .relaxed) == 300)
        let workers = Set(threads.all)
        #expect(!workers.contains(submitter))
        #expect(workers.count <= 3)
        pool.submit { done.wrappingAdd(1, ordering: .relaxed) }  // after shutdown: dropped
        #expect(done.load(ordering: .relaxed) == 300)
    }

    @Test func aFullQueueRefusesAtOnceInsteadOfGrowing() {
        let pool = BlockingPool(numberOfThreads: 1, maximumQueued: 2)
        let release = Latch()
        let started = Latch()
        #expect(
            pool.trySubmit {
                started.signal()
                _ = release.wait()
            }
        )
        #expect(started.wait())
        // The thread is busy: two items may wait, the third is refused.
        #expect(pool.trySubmit {})
        #expect(pool.trySubmit {})
        #expect(!pool.trySubmit {})
        release.signal()
        pool.shutdown()
        #expect(!pool.trySubmit {})
    }
}
