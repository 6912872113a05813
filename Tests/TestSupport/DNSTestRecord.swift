package import DNS

/// A record to put in a test zone, in zone-file presentation form.
package struct DNSTestRecord: Sendable, Hashable {
    /// Owner: a fully qualified name without trailing dot (`"mta-sts.example.test"`), or a name relative
    /// to ``zone``, or `"@"` for the apex.
    package var owner: String
    /// The record type.
    package var type: DNSRecordType
    /// TTL in seconds; keep it at 1 so the resolver's cache never hides a change for long.
    package var ttl: UInt32
    /// Presentation-form RDATA. For TXT plain text is quoted automatically (see ``DNSTestEnvironment/quotedTXT(_:)``);
    /// a value that already starts with `"` is used verbatim.
    package var value: String
    /// The zone to put it in; nil picks the longest zone the owner lies in.
    package var zone: String?

    /// Creates a record.
    package init(owner: String, type: DNSRecordType, ttl: UInt32 = 1, value: String, zone: String? = nil) {
        self.owner = owner
        self.type = type
        self.ttl = ttl
        self.value = value
        self.zone = zone
    }

    /// A TXT record with one character-string per element of `strings`.
    package static func txt(_ owner: String, _ strings: String..., ttl: UInt32 = 1) -> DNSTestRecord {
        DNSTestRecord(owner: owner, type: .txt, ttl: ttl, value: DNSTestEnvironment.quotedTXT(strings))
    }

    /// The value as Knot expects it: TXT text quoted, everything else as given.
    var presentationValue: String {
        guard type == .txt, !value.hasPrefix("\"") else { return value }
        return DNSTestEnvironment.quotedTXT([value])
    }

    /// The owner as an absolute name with trailing dot, relative to `zone`.
    func absoluteOwner(in zone: String) -> String {
        Self.absolute(owner, in: zone)
    }

    /// Makes `owner` absolute relative to `zone`.
    static func absolute(_ owner: String, in zone: String) -> String {
        let zone = zone.hasSuffix(".") ? String(zone.dropLast()) : zone
        let owner = owner.hasSuffix(".") ? String(owner.dropLast()) : owner
        if owner == "@" {
            return zone + "."
        }
        if owner.lowercased() == zone.lowercased() {
            return owner + "."
        }
        if owner.lowercased().hasSuffix("." + zone.lowercased()) {
            return owner + "."
        }
        return owner + "." + zone + "."
    }
}
