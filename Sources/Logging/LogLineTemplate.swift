/// One kind of log line laid out once — message, metadata and field names merged and sorted as ``Logger`` does
/// it — so a line written per request (the edge's access log) costs only its values: no dictionary merge and
/// no sort per line. The output is exactly what `logger.log(level, message, fields)` writes.
///
/// ```swift
/// let access = LogLineTemplate(logger: logger, level: .info, message: "request", keys: ["path", "status"])
/// access.write(["/.well-known/mta-sts.txt", "200"])
/// ```
package struct LogLineTemplate: Sendable {
    private enum Segment: Sendable {
        /// ` key=value` of the logger's own metadata, already quoted.
        case constant([UInt8])
        /// ` key=`, then the value at `index`, quoted as needed.
        case value(prefix: [UInt8], index: Int)
    }

    private let logger: Logger
    private let isEnabled: Bool
    private let head: [UInt8]
    private let segments: [Segment]

    /// Lays out the line for `message` at `level` with `keys`, merged and sorted with the logger's metadata as
    /// ``Logger`` does.
    package init(logger: Logger, level: Logger.Level, message: String, keys: [String]) {
        self.logger = logger
        isEnabled = level >= logger.level
        head = Array(" level=\(level.name) component=\(Logger.quoted(logger.label)) msg=\(Logger.quoted(message))".utf8)
        var layout: [String: Segment] = [:]
        for (key, value) in logger.metadata { layout[key] = .constant(Array(" \(key)=\(Logger.quoted(value))".utf8)) }
        for (index, key) in keys.enumerated() { layout[key] = .value(prefix: Array(" \(key)=".utf8), index: index) }
        segments = layout.sorted { $0.key < $1.key }.map(\.value)
    }

    /// Writes one line with `values` in the order of the template's keys. The line is built in one byte buffer
    /// (an access log writes one per request) and handed to the sink as one string.
    package func write(_ values: [String]) {
        guard isEnabled else { return }
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(contentsOf: "ts=".utf8)
        Logger.appendTimestamp(to: &line)
        line.append(contentsOf: head)
        for segment in segments {
            switch segment {
            case .constant(let text):
                line.append(contentsOf: text)
            case .value(let prefix, let index):
                line.append(contentsOf: prefix)
                line.append(contentsOf: Logger.quoted(index < values.count ? values[index] : "").utf8)
            }
        }
        line.append(UInt8(ascii: "\n"))
        logger.write(bytes: line)
    }
}
