import Glibc
import Synchronization

/// A one-way latch that ends ``PostgresConnection/waitForNotifications(timeout:cancellation:)`` at once, from
/// any thread: a process stopping a follower must not wait out the follower's timeout.
///
/// A pipe whose read end the wait polls beside the database socket; ``cancel()`` writes one byte and the
/// byte is never read, so every later wait with this value also returns at once.
package final class WaitCancellation: Sendable {
    private let readDescriptor: Int32
    private let writeDescriptor: Int32
    private let cancelled = Atomic<Bool>(false)

    /// Creates a latch that is not cancelled.
    /// - Throws: `DatabaseError.invalidConfiguration` when the process is out of descriptors.
    package init() throws(DatabaseError) {
        var descriptors: [Int32] = [-1, -1]
        // `pipe2` is a GNU extension Glibc does not import; the flags are set right after instead.
        guard pipe(&descriptors) == 0 else {
            throw DatabaseError(.invalidConfiguration, "cannot create a pipe (errno \(errno))")
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
        }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    /// Whether ``cancel()`` was called.
    package var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Ends the current and every later wait.
    package func cancel() {
        guard !cancelled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// The descriptor a wait polls for readability.
    var descriptor: Int32 { readDescriptor }
}
