internal import CLinux

/// A point on the monotonic clock (`CLOCK_MONOTONIC`), immune to wall-clock changes.
package struct Deadline: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds since an arbitrary fixed point (boot).
    package let uptimeNanoseconds: UInt64

    /// Creates a deadline from raw monotonic nanoseconds.
    package init(uptimeNanoseconds: UInt64) {
        self.uptimeNanoseconds = uptimeNanoseconds
    }

    /// The current monotonic time.
    package static func now() -> Deadline {
        Deadline(uptimeNanoseconds: Posix.monotonicNanoseconds())
    }

    /// A deadline that never arrives.
    package static let distantFuture = Deadline(uptimeNanoseconds: .max)

    /// `now() + duration`.
    package static func after(_ duration: Duration) -> Deadline {
        now() + duration
    }

    /// Adds a duration, saturating at ``distantFuture`` and at zero.
    package static func + (lhs: Deadline, rhs: Duration) -> Deadline {
        let delta = rhs.nanoseconds
        if delta >= 0 {
            let (sum, overflow) = lhs.uptimeNanoseconds.addingReportingOverflow(UInt64(delta))
            return Deadline(uptimeNanoseconds: overflow ? .max : sum)
        }
        let magnitude = delta.magnitude
        return Deadline(uptimeNanoseconds: lhs.uptimeNanoseconds > magnitude ? lhs.uptimeNanoseconds - magnitude : 0)
    }

    /// The signed distance between two deadlines.
    package static func - (lhs: Deadline, rhs: Deadline) -> Duration {
        if lhs.uptimeNanoseconds >= rhs.uptimeNanoseconds {
            return .nanoseconds(Int64(clamping: lhs.uptimeNanoseconds - rhs.uptimeNanoseconds))
        }
        return .nanoseconds(-Int64(clamping: rhs.uptimeNanoseconds - lhs.uptimeNanoseconds))
    }

    /// Orders by time.
    package static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        lhs.uptimeNanoseconds < rhs.uptimeNanoseconds
    }

    /// `"Deadline(<ns>ns)"`.
    package var description: String {
        "Deadline(\(uptimeNanoseconds)ns)"
    }
}

extension Duration {
    /// Whole nanoseconds, saturating at `Int64` bounds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow {
            return seconds < 0 ? .min : .max
        }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
