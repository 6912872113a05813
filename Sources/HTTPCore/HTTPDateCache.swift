/// Caches the Date header value so it is formatted at most once per second.
///
/// A value type: keep one per event-loop thread and pass the loop's wall clock in.
///
/// ```swift
/// var dates = HTTPDateCache()
/// fields.set(.date, dates.string(epochSeconds: wallClockSeconds))
/// ```
package struct HTTPDateCache: Sendable {
    private var cachedSecond: Int64?
    private var cachedBytes: [UInt8] = []
    private var cachedString = ""
    /// How many times the value was formatted; lets tests check the once-per-second promise.
    private(set) var rebuildCount = 0

    /// Creates an empty cache.
    package init() {}

    /// The IMF-fixdate bytes for `epochSeconds`, reformatted only when the second changed.
    package mutating func bytes(epochSeconds: Int64) -> [UInt8] {
        refresh(epochSeconds)
        return cachedBytes
    }

    /// The IMF-fixdate string for `epochSeconds`, reformatted only when the second changed.
    package mutating func string(epochSeconds: Int64) -> String {
        refresh(epochSeconds)
        return cachedString
    }

    private mutating func refresh(_ epochSeconds: Int64) {
        guard cachedSecond != epochSeconds else { return }
        cachedBytes.removeAll(keepingCapacity: true)
        HTTPDate.write(epochSeconds: epochSeconds, into: &cachedBytes)
        cachedString = String(decoding: cachedBytes, as: UTF8.self)
        cachedSecond = epochSeconds
        rebuildCount += 1
    }
}
