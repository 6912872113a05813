package import DNS

/// Where a query name falls in the zone: the zone holds exactly the apex, three empty non-terminals and two
/// families of leaves, and nothing else.
///
/// ```
/// <apex>                          SOA, NS
/// _mta-sts.<apex>                 empty non-terminal
/// <label>._mta-sts.<apex>         TXT "v=STSv1; id=…" when the content has the label
/// _tls.<apex>                     empty non-terminal
/// _smtp._tls.<apex>               empty non-terminal
/// <label>._smtp._tls.<apex>       TXT "v=TLSRPTv1; rua=…" when the content has the label
/// ```
package enum AuthoritativeZoneNode: Sendable, Hashable {
    /// The name is not at or below the apex.
    case outsideZone
    /// The apex itself.
    case apex
    /// `_mta-sts`, `_tls` or `_smtp._tls` under the apex: the name exists but owns no records (RFC 8020 §2).
    case emptyNonTerminal
    /// `<label>._mta-sts.<apex>`, with the label lower-cased.
    case sts(label: String)
    /// `<label>._smtp._tls.<apex>`, with the label lower-cased.
    case tlsrpt(label: String)
    /// Any other name under the apex, and leaf labels outside the looked-up alphabet: NXDOMAIN.
    case nonexistent

    private static let mtaSTS = Array("_mta-sts".utf8)
    private static let tls = Array("_tls".utf8)
    private static let smtp = Array("_smtp".utf8)

    /// Classifies `name`, comparing labels case-insensitively (RFC 4343 §3).
    /// - Parameters:
    ///   - name: The query name as received.
    ///   - apex: The zone's apex.
    package init(_ name: DNSName, apex: DNSName) {
        guard name.isSubdomain(of: apex) else {
            self = .outsideZone
            return
        }
        // Labels below the apex, nearest to the apex first.
        let relative = name.labels.dropLast(apex.labels.count).reversed().map(Self.lowercased)
        switch relative.count {
        case 0:
            self = .apex
        case 1:
            self = relative[0] == Self.mtaSTS || relative[0] == Self.tls ? .emptyNonTerminal : .nonexistent
        case 2 where relative[0] == Self.mtaSTS:
            self = Self.leafLabel(relative[1]).map { .sts(label: $0) } ?? .nonexistent
        case 2:
            self = relative[0] == Self.tls && relative[1] == Self.smtp ? .emptyNonTerminal : .nonexistent
        case 3 where relative[0] == Self.tls && relative[1] == Self.smtp:
            self = Self.leafLabel(relative[2]).map { .tlsrpt(label: $0) } ?? .nonexistent
        default:
            self = .nonexistent
        }
    }

    /// The label as a String when every byte is an ASCII letter, digit, `-` or `_`; nil otherwise, so that bytes
    /// a String cannot hold unchanged never reach the content.
    private static func leafLabel(_ label: [UInt8]) -> String? {
        let allowed = label.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        return allowed ? String(decoding: label, as: UTF8.self) : nil
    }

    private static func lowercased(_ label: [UInt8]) -> [UInt8] {
        label.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
    }
}
