import Glibc
import HTTPCore
import Logging

/// Per-loop state shared by that loop's connections (loop-confined, so no lock): the read buffer (only one
/// connection reads at a time), the `Date` header, rebuilt at most once per second, and the loop's shard of the
/// access log.
final class ScratchBuffer {
    /// Where connections read into before the bytes are appended to their own buffer.
    var bytes = [UInt8](repeating: 0, count: 16_384)
    private var dateCache = HTTPDateCache()
    private let accessLog: (format: @Sendable (AccessLogEntry, inout [UInt8]) -> Void, shard: LogBuffer.Shard)?

    /// - Parameter accessLog: the server's access log; this loop writes to a shard of its own.
    init(accessLog: AccessLog? = nil) {
        self.accessLog = accessLog.map { (format: $0.format, shard: $0.buffer.makeShard()) }
    }

    /// Whether ``log(_:)`` writes anything: entries need not be built otherwise.
    var logsAccess: Bool { accessLog != nil }

    /// Appends the access log line of `entry` to this loop's shard.
    func log(_ entry: AccessLogEntry) {
        guard let (format, shard) = accessLog else { return }
        shard.append { format(entry, &$0) }
    }

    /// The current `Date` header value.
    func date() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return dateCache.string(epochSeconds: Int64(now.tv_sec))
    }
}
