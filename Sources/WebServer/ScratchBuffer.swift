import Glibc
import HTTPCore

/// Per-loop state shared by that loop's connections (loop-confined, so no lock): the read buffer (only one
/// connection reads at a time) and the `Date` header, rebuilt at most once per second.
final class ScratchBuffer {
    /// Where connections read into before the bytes are appended to their own buffer.
    var bytes = [UInt8](repeating: 0, count: 16_384)
    private var dateCache = HTTPDateCache()

    /// The current `Date` header value.
    func date() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return dateCache.string(epochSeconds: Int64(now.tv_sec))
    }
}
