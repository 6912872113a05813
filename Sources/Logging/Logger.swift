import CivilTime
import Glibc

/// A small structured logger: one `key=value` line per event on stderr, filtered by level.
///
/// Loggers are values: derive one with extra metadata for a request or a job and pass it along explicitly.
///
/// ```swift
/// let logger = Logger(label: "edge", level: .info)
/// logger.info("listening", ["address": "127.0.0.1:8443"])
/// ```
package struct Logger: Sendable {
    /// Severity, ordered from the most verbose.
    package enum Level: Int, Sendable, Comparable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        package static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        /// Parses `trace`, `debug`, `info`, `notice`, `warning` (or `warn`), `error`, `critical`.
        package init?(name: String) {
            switch name.lowercased() {
            case "trace": self = .trace
            case "debug": self = .debug
            case "info": self = .info
            case "notice": self = .notice
            case "warning", "warn": self = .warning
            case "error": self = .error
            case "critical": self = .critical
            default: return nil
            }
        }

        package var name: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }
    }

    package let label: String
    package var level: Level
    package var metadata: [String: String]
    private let sink: LogSink

    package init(label: String, level: Level = .info, metadata: [String: String] = [:], sink: LogSink = .standardError)
    {
        self.label = label
        self.level = level
        self.metadata = metadata
        self.sink = sink
    }

    /// A copy with more metadata on every line.
    package func with(_ extra: [String: String]) -> Logger {
        var copy = self
        copy.metadata.merge(extra) { _, new in new }
        return copy
    }

    package func trace(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.trace, message(), fields)
    }
    package func debug(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.debug, message(), fields)
    }
    package func info(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.info, message(), fields)
    }
    package func notice(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.notice, message(), fields)
    }
    package func warning(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.warning, message(), fields)
    }
    package func error(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.error, message(), fields)
    }
    package func critical(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.critical, message(), fields)
    }

    /// Writes one line when `level` passes the filter.
    package func log(_ level: Level, _ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        guard level >= self.level else { return }
        var line =
            "ts=\(Self.timestamp()) level=\(level.name) component=\(Self.quoted(label)) msg=\(Self.quoted(message()))"
        for (key, value) in metadata.merging(fields, uniquingKeysWith: { _, new in new }).sorted(by: { $0.key < $1.key }
        ) {
            line += " \(key)=\(Self.quoted(value))"
        }
        sink.write(line + "\n")
    }

    /// Appends ``timestamp()`` (`2026-11-30T10:47:36.123Z`) without building strings or calling `gmtime_r`
    /// (an access log writes one per request).
    static func appendTimestamp(to line: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let (date, secondOfDay) = CivilDate.split(epochSeconds: Int64(now.tv_sec))
        // Filled on the stack and appended once: 24 bytes, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { text in
            func put(_ value: Int, at range: Range<Int>, then separator: Unicode.Scalar) {
                DecimalDigits.fill(UnsafeMutableBufferPointer(rebasing: text[range]), with: UInt(max(0, value)))
                text[range.upperBound] = UInt8(ascii: separator)
            }
            put(date.year, at: 0..<4, then: "-")
            put(date.month, at: 5..<7, then: "-")
            put(date.day, at: 8..<10, then: "T")
            put(secondOfDay / 3600, at: 11..<13, then: ":")
            put(secondOfDay / 60 % 60, at: 14..<16, then: ":")
            put(secondOfDay % 60, at: 17..<19, then: ".")
            put(now.tv_nsec / 1_000_000, at: 20..<23, then: "Z")
            line.append(contentsOf: text)
        }
    }

    /// Whether ``quoted(_:)`` quotes a value: empty, or a space, quote, `=` or control character in it. UTF-8 never
    /// puts a byte below 0x80 inside a multi-byte scalar, so scanning bytes finds the same characters.
    static func needsQuotes(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        utf8.isEmpty || utf8.contains { $0 <= 0x20 || $0 == 0x22 || $0 == 0x3D || $0 == 0x7F }
    }

    /// Quotes a value when it contains spaces, quotes, `=` or control characters.
    static func quoted(_ value: String) -> String {
        var value = value
        let escaped = value.withUTF8 { utf8 -> [UInt8]? in
            guard needsQuotes(utf8) else { return nil }
            var escaped: [UInt8] = []
            appendQuoted(utf8, to: &escaped)
            return escaped
        }
        return escaped.map { String(decoding: $0, as: UTF8.self) } ?? value
    }

    /// Appends a value's UTF-8 as ``quoted(_:)`` writes it: as it is, or in quotes with `"`, `\`, line breaks,
    /// tabs and other control characters escaped. Bytes, not strings: it runs for every value of every access
    /// log line.
    static func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to line: inout [UInt8]) {
        guard needsQuotes(utf8) else {
            line.append(contentsOf: utf8)
            return
        }
        line.append(UInt8(ascii: "\""))
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): line.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case UInt8(ascii: "\n"): line.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): line.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): line.append(contentsOf: "\\t".utf8)
            case ..<0x20, 0x7F:
                line.append(contentsOf: "\\u{".utf8)
                if byte >= 0x10 { line.append(hexDigits[Int(byte >> 4)]) }
                line.append(hexDigits[Int(byte & 0x0F)])
                line.append(UInt8(ascii: "}"))
            default:
                line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func timestamp() -> String {
        var text: [UInt8] = []
        appendTimestamp(to: &text)
        return String(decoding: text, as: UTF8.self)
    }
}

/// Where log lines go: stderr by default, or a closure (tests capture lines this way).
package struct LogSink: Sendable {
    private let writeLine: @Sendable (String) -> Void

    package init(_ writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLine = writeLine
    }

    func write(_ line: String) {
        writeLine(line)
    }

    /// One `write(2)` per line, so lines from several threads never interleave.
    package static let standardError = LogSink { line in
        var line = line
        line.withUTF8 { writeFully(UnsafeRawBufferPointer($0), to: 2) }
    }
}

/// Writes all of `bytes` to `descriptor`, again after an interrupted or partial write. Any other failure drops
/// the rest: a log line has nowhere else to go.
func writeFully(_ bytes: UnsafeRawBufferPointer, to descriptor: CInt) {
    var offset = 0
    while offset < bytes.count {
        let written = Glibc.write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += written
    }
}
