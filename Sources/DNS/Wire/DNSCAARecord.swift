/// CAA record data (RFC 8659 §4.1).
package struct DNSCAARecord: Sendable, Hashable {
    /// Flags; bit 128 is Issuer Critical.
    package var flags: UInt8
    /// The property tag, e.g. `issue`, `issuewild`, `iodef` (ASCII letters and digits).
    package var tag: String
    /// The property value as raw bytes.
    package var value: [UInt8]

    /// Creates CAA data.
    package init(flags: UInt8 = 0, tag: String, value: [UInt8]) {
        self.flags = flags
        self.tag = tag
        self.value = value
    }

    /// Creates CAA data with a text value.
    package init(flags: UInt8 = 0, tag: String, value: String) {
        self.init(flags: flags, tag: tag, value: Array(value.utf8))
    }

    /// Whether the Issuer Critical flag is set.
    package var isCritical: Bool { flags & 0x80 != 0 }

    /// The value decoded as UTF-8.
    package var valueText: String { String(decoding: value, as: UTF8.self) }
}
