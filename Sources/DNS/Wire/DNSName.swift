/// A domain name: a sequence of labels, compared case-insensitively (RFC 1035 §2.3.3, RFC 4343).
///
/// Labels are raw bytes, so names read from the wire round-trip exactly. Textual names use dots between
/// labels and `\.`, `\\` and `\DDD` escapes for bytes that would otherwise be ambiguous.
///
/// ```swift
/// let name = try DNSName("mta-sts.Example.com.")
/// name == (try DNSName("MTA-STS.example.com"))   // true
/// name.description                                  // "mta-sts.Example.com"
/// ```
package struct DNSName: Sendable, Hashable, CustomStringConvertible {
    /// Longest label in bytes (RFC 1035 §2.3.4).
    package static let maxLabelLength = 63
    /// Longest name in wire form, length bytes and the root label included (RFC 1035 §2.3.4).
    package static let maxWireLength = 255

    /// The labels, most specific first, without the empty root label.
    package let labels: [[UInt8]]

    /// The root name `.`.
    package static let root = DNSName(validatedLabels: [])

    /// Wraps labels already known to satisfy the length limits.
    init(validatedLabels: [[UInt8]]) {
        self.labels = validatedLabels
    }

    /// Creates a name from raw labels.
    /// - Throws: ``DNSError`` when a label is empty or longer than 63 bytes, or the name exceeds 255 bytes.
    package init(labels: [[UInt8]]) throws(DNSError) {
        var wireLength = 1
        for label in labels {
            guard !label.isEmpty else {
                throw DNSError(.invalidName, "empty label")
            }
            guard label.count <= Self.maxLabelLength else {
                throw DNSError(.labelTooLong, "label of \(label.count) bytes exceeds 63")
            }
            wireLength += 1 + label.count
        }
        guard wireLength <= Self.maxWireLength else {
            throw DNSError(.nameTooLong, "name of \(wireLength) bytes exceeds 255")
        }
        self.labels = labels
    }

    /// Parses a dotted name; a trailing dot is optional and `"."` or `""` is the root.
    /// - Throws: ``DNSError`` for empty labels, bad escapes or length violations.
    package init(_ text: String) throws(DNSError) {
        let bytes = Array(text.utf8)
        if bytes.isEmpty || bytes == [UInt8(ascii: ".")] {
            self = .root
            return
        }
        var labels: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        var endsWithDot = false
        while index < bytes.count {
            let byte = bytes[index]
            endsWithDot = false
            if byte == UInt8(ascii: ".") {
                guard !current.isEmpty else {
                    throw DNSError(.invalidName, "empty label in \"\(text)\"")
                }
                labels.append(current)
                current = []
                endsWithDot = true
                index += 1
            } else if byte == UInt8(ascii: "\\") {
                let (value, length) = try Self.unescape(bytes, at: index, text: text)
                current.append(value)
                index += length
            } else {
                current.append(byte)
                index += 1
            }
        }
        if !endsWithDot {
            labels.append(current)
        }
        try self.init(labels: labels)
    }

    /// Decodes `\c` or `\DDD` at `index`, returning the byte and how many input bytes it used.
    private static func unescape(_ bytes: [UInt8], at index: Int, text: String) throws(DNSError) -> (UInt8, Int) {
        guard index + 1 < bytes.count else {
            throw DNSError(.invalidName, "dangling escape in \"\(text)\"")
        }
        let digits = bytes[(index + 1)...].prefix(3)
        if digits.count == 3, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard value <= 255 else {
                throw DNSError(.invalidName, "escape \\\(value) out of range in \"\(text)\"")
            }
            return (UInt8(value), 4)
        }
        return (bytes[index + 1], 2)
    }

    /// Whether this is the root name.
    package var isRoot: Bool { labels.isEmpty }

    /// Length of the uncompressed wire form.
    package var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.count } }

    /// The name with ASCII letters lowered.
    package func lowercased() -> DNSName {
        DNSName(validatedLabels: labels.map { $0.map(Self.lower) })
    }

    /// Whether `self` equals `other` or lies below it.
    package func isSubdomain(of other: DNSName) -> Bool {
        guard labels.count >= other.labels.count else { return false }
        let tail = DNSName(validatedLabels: Array(labels.suffix(other.labels.count)))
        return tail == other
    }

    /// The name without a trailing dot (`"."` for the root), with special bytes escaped.
    package var description: String {
        guard !isRoot else { return "." }
        return labels.map(Self.escape).joined(separator: ".")
    }

    /// Case-insensitive comparison.
    package static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        guard lhs.labels.count == rhs.labels.count else { return false }
        for (left, right) in zip(lhs.labels, rhs.labels) {
            guard left.count == right.count else { return false }
            for (a, b) in zip(left, right) where lower(a) != lower(b) {
                return false
            }
        }
        return true
    }

    /// Hashes the lowered labels so equal names hash alike.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(labels.count)
        for label in labels {
            hasher.combine(label.count)
            for byte in label {
                hasher.combine(Self.lower(byte))
            }
        }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }

    private static func escape(_ label: [UInt8]) -> String {
        var text = ""
        for byte in label {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "\\"):
                text += "\\" + String(UnicodeScalar(byte))
            case 0x21...0x7E:
                text.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let digits = String(byte)
                text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            }
        }
        return text
    }
}
