/// Builds a DNS message, remembering where names were written so later names can point at them.
struct DNSByteWriter {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []
    /// Offsets of name suffixes already written; pointers can only reach the first 16 KiB (RFC 1035 §4.1.4).
    private var suffixOffsets: [DNSName: Int] = [:]

    /// Creates an empty writer.
    init() {}

    /// Current length.
    var count: Int { bytes.count }

    /// Appends one byte.
    mutating func write(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends a big-endian 16-bit integer.
    mutating func write(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    /// Appends a big-endian 32-bit integer.
    mutating func write(_ value: UInt32) {
        bytes.append(UInt8(value >> 24))
        bytes.append(UInt8((value >> 16) & 0xFF))
        bytes.append(UInt8((value >> 8) & 0xFF))
        bytes.append(UInt8(value & 0xFF))
    }

    /// Appends raw bytes.
    mutating func write<S: Sequence>(contentsOf values: S) where S.Element == UInt8 {
        bytes.append(contentsOf: values)
    }

    /// Overwrites a 16-bit integer written earlier (used to patch RDLENGTH).
    mutating func patch(_ value: UInt16, at offset: Int) {
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xFF)
    }

    /// Drops everything after `count` bytes (used to clamp oversized record data).
    mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
    }

    /// Writes a name, replacing its longest already-written suffix with a pointer when `compress` is set.
    ///
    /// Suffixes are compared case-insensitively, as name comparison in DNS is.
    mutating func write(_ name: DNSName, compress: Bool) {
        let labels = name.labels
        for start in labels.indices {
            let suffix = DNSName(validatedLabels: Array(labels[start...]))
            if compress, let offset = suffixOffsets[suffix] {
                write(UInt16(0xC000) | UInt16(offset))
                return
            }
            if bytes.count < 0x4000, suffixOffsets[suffix] == nil {
                suffixOffsets[suffix] = bytes.count
            }
            bytes.append(UInt8(labels[start].count))
            bytes.append(contentsOf: labels[start])
        }
        bytes.append(0)
    }
}
