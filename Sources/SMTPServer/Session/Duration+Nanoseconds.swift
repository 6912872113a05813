extension Duration {
    /// Whole nanoseconds, clamped at zero and at `UInt64.max`: the unit of the machines' monotonic clock.
    var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (scaled, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, carry) = scaled.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return overflow || carry ? .max : sum
    }
}

extension UInt64 {
    /// `self + duration`, saturating at `UInt64.max` (a deadline that never comes).
    func adding(_ duration: Duration) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(duration.clampedNanoseconds)
        return overflow ? .max : sum
    }
}
