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
        /// ` key=value`, quoted already (metadata).
        case constant(String)
        /// ` key=` then the value at this index of ``write(_:)``'s argument.
        case value(prefix: String, index: Int)
    }

    private let logger: Logger
    private let isEnabled: Bool
    private let head: String
    private let segments: [Segment]

    /// - Parameter keys: the names of the values ``write(_:)`` takes, in that order; a key the logger's metadata
    ///   also has takes the value given here, as in ``Logger/log(_:_:_:)``.
    package init(logger: Logger, level: Logger.Level, message: String, keys: [String]) {
        self.logger = logger
        isEnabled = level >= logger.level
        head = " level=\(level.name) component=\(Logger.quoted(logger.label)) msg=\(Logger.quoted(message))"
        var layout: [String: Segment] = [:]
        for (key, value) in logger.metadata { layout[key] = .constant(" \(key)=\(Logger.quoted(value))") }
        for (index, key) in keys.enumerated() { layout[key] = .value(prefix: " \(key)=", index: index) }
        segments = layout.sorted { $0.key < $1.key }.map(\.value)
    }

    /// Writes one line with `values`, given in the order of the template's keys.
    package func write(_ values: [String]) {
        guard isEnabled else { return }
        var line = "ts=" + Logger.timestamp() + head
        for segment in segments {
            switch segment {
            case .constant(let text):
                line += text
            case .value(let prefix, let index):
                line += prefix
                line += Logger.quoted(index < values.count ? values[index] : "")
            }
        }
        line += "\n"
        logger.write(line)
    }
}
