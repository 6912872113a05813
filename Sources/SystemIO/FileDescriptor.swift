import Glibc
import Synchronization

/// Owns one file descriptor and closes it exactly once: on ``close()`` or, failing that, in `deinit`.
///
/// A reference type so that a socket can be shared between a loop's handler table and the code using it
/// without a double close. The raw value stays readable after closing; using it then is the caller's bug.
package final class FileDescriptor: Sendable, CustomStringConvertible {
    /// The raw descriptor number.
    package let rawValue: CInt
    private let isOpen: Atomic<Bool>

    /// Takes ownership of `rawValue`.
    package init(rawValue: CInt) {
        self.rawValue = rawValue
        self.isOpen = Atomic(true)
    }

    /// Whether ``close()`` has run.
    package var isClosed: Bool {
        !isOpen.load(ordering: .acquiring)
    }

    /// Closes the descriptor; later calls do nothing.
    /// - Throws: ``SystemError`` from `close(2)` (the descriptor is released regardless).
    package func close() throws {
        guard isOpen.exchange(false, ordering: .acquiringAndReleasing) else {
            return
        }
        try Posix.close(rawValue)
    }

    /// `"fd:<n>"`.
    package var description: String {
        "fd:\(rawValue)"
    }

    deinit {
        if isOpen.exchange(false, ordering: .acquiringAndReleasing) {
            try? Posix.close(rawValue)
        }
    }
}
