import CivilTime

/// One kind of log line laid out once — message, metadata and field names merged and sorted as ``Logger`` does
/// it — so a line written per request (the edge's access log) costs only its values: no dictionary merge, no
/// sort and no string per line. The bytes are exactly what `logger.log(level, message, fields)` writes.
///
/// ```swift
/// let access = LogLineTemplate(logger: logger, level: .info, message: "request", keys: ["path", "status"])
/// var line: [UInt8] = []
/// if access.isEnabled {
///     access.append(to: &line) { index, line in
///         if index == 0 { LogLineTemplate.appendValue("/.well-known/mta-sts.txt", to: &line) }
///         else { LogLineTemplate.appendValue(200, to: &line) }
///     }
/// }
/// ```
package struct LogLineTemplate: Sendable {
    /// A value's place: after the constant text up to `textEnd` (its ` key=` and any metadata before it), the
    /// value of the key at `index`. Plain integers, so walking them retains nothing.
    private struct Slot: Sendable {
        let textEnd: Int
        let index: Int
    }

    /// Whether the logger's level lets the line through; when it does not, nothing should be written.
    package let isEnabled: Bool
    /// Everything constant after the timestamp, in order: level, component, message, and each ` key=` with the
    /// logger's own ` key=value` metadata between them.
    private let text: [UInt8]
    private let slots: [Slot]

    /// Lays out the line for `message` at `level` with `keys`, merged and sorted with the logger's metadata as
    /// ``Logger`` does.
    package init(logger: Logger, level: Logger.Level, message: String, keys: [String]) {
        isEnabled = level >= logger.level
        // Each key's constant text, and the index of its value for the template's own keys.
        var layout: [String: (text: String, index: Int?)] = [:]
        for (key, value) in logger.metadata { layout[key] = (" \(key)=\(Logger.quoted(value))", nil) }
        for (index, key) in keys.enumerated() { layout[key] = (" \(key)=", index) }
        var text = Array(
            " level=\(level.name) component=\(Logger.quoted(logger.label)) msg=\(Logger.quoted(message))".utf8
        )
        var slots: [Slot] = []
        for (_, piece) in layout.sorted(by: { $0.key < $1.key }) {
            text.append(contentsOf: piece.text.utf8)
            if let index = piece.index { slots.append(Slot(textEnd: text.count, index: index)) }
        }
        text.append(UInt8(ascii: "\n"))
        self.text = text
        self.slots = slots
    }

    /// Appends one whole line, newline included: the timestamp, the laid-out text, and for the key at each index
    /// of the template's keys whatever `value(index, &line)` appends, with the `appendValue` functions.
    package func append(to line: inout [UInt8], values value: (Int, inout [UInt8]) -> Void) {
        line.append(contentsOf: Self.timestampKey)
        Logger.appendTimestamp(to: &line)
        text.withUnsafeBufferPointer { text in
            var start = 0
            for slot in slots {
                line.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<slot.textEnd]))
                value(slot.index, &line)
                start = slot.textEnd
            }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: text[start...]))
        }
    }

    private static let timestampKey = Array("ts=".utf8)

    /// Appends a text value, quoted as ``Logger`` quotes it. Not through the `Substring` form: going through
    /// `text[...]` cost 600 more instructions per access-log line (`instructions.sh`).
    package static func appendValue(_ text: String, to line: inout [UInt8]) {
        var text = text
        text.withUTF8 { Logger.appendQuoted($0, to: &line) }
    }

    /// Appends a text value, quoted as ``Logger`` quotes it.
    package static func appendValue(_ text: Substring, to line: inout [UInt8]) {
        var text = text
        text.withUTF8 { Logger.appendQuoted($0, to: &line) }
    }

    /// Appends an integer, which never needs quotes.
    package static func appendValue(_ number: Int, to line: inout [UInt8]) {
        DecimalDigits.append(number, to: &line)
    }
}
