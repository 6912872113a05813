package import DNS

/// Zone facts fixed while serving: the apex, its name servers, the SOA fields and the TTLs.
///
/// The zone holds only the names ``AuthoritativeZoneNode`` lists; the TXT data comes from an
/// ``AuthoritativeZoneContent`` at query time.
///
/// ```swift
/// let zone = AuthoritativeZoneConfiguration(
///     apex: try DNSName("sts.platform.example"),
///     nameServers: [try DNSName("ns1.platform.example"), try DNSName("ns2.platform.example")]
/// )
/// zone.hostmaster.description   // "hostmaster.sts.platform.example"
/// ```
package struct AuthoritativeZoneConfiguration: Sendable {
    /// The zone's apex, e.g. `sts.platform.example`.
    package var apex: DNSName
    /// The NS records at the apex (at least one); the first is the SOA MNAME. They must lie outside the zone:
    /// the zone has no address records, so it could not serve their glue.
    package var nameServers: [DNSName]
    /// The SOA RNAME, the mailbox responsible for the zone (`hostmaster.<apex>` unless given).
    package var hostmaster: DNSName
    /// TTL of the TXT answers, in seconds.
    package var recordTTL: UInt32
    /// The SOA MINIMUM, which RFC 2308 §4 makes the negative-caching TTL, in seconds.
    package var negativeTTL: UInt32
    /// The largest UDP response sent to an EDNS client (RFC 6891 §6.2.5); 1232 avoids IP fragmentation (DNS flag
    /// day 2020).
    package var maximumUDPPayload: Int
    /// TTL of the apex's SOA and NS records, in seconds.
    package var apexTTL: UInt32

    /// Creates a configuration.
    /// - Parameters:
    ///   - apex: The zone's apex.
    ///   - nameServers: The apex NS records, outside the zone.
    ///   - hostmaster: The SOA RNAME; nil means `hostmaster.<apex>`.
    ///   - recordTTL: TTL of the TXT answers.
    ///   - negativeTTL: The SOA MINIMUM: how long resolvers cache NXDOMAIN and NODATA.
    ///   - maximumUDPPayload: The largest UDP response to an EDNS client, 512...65535.
    ///   - apexTTL: TTL of the apex SOA and NS records.
    package init(
        apex: DNSName,
        nameServers: [DNSName],
        hostmaster: DNSName? = nil,
        recordTTL: UInt32 = 60,
        negativeTTL: UInt32 = 60,
        maximumUDPPayload: Int = 1232,
        apexTTL: UInt32 = 3600
    ) {
        self.apex = apex
        self.nameServers = nameServers
        // A 245-byte apex leaves no room for the extra label; the apex itself is then the (odd but valid) mailbox.
        self.hostmaster = hostmaster ?? (try? DNSName(labels: [Array("hostmaster".utf8)] + apex.labels)) ?? apex
        self.recordTTL = recordTTL
        self.negativeTTL = negativeTTL
        self.maximumUDPPayload = maximumUDPPayload
        self.apexTTL = apexTTL
    }

    /// Checks what the responder relies on.
    /// - Throws: ``DNSServerError/invalidConfiguration`` naming the first problem.
    package func validate() throws(DNSServerError) {
        guard !apex.isRoot else {
            throw DNSServerError(.invalidConfiguration, "the zone apex cannot be the root")
        }
        guard !nameServers.isEmpty else {
            throw DNSServerError(.invalidConfiguration, "the zone \(apex) needs at least one name server")
        }
        if let inside = nameServers.first(where: { $0.isSubdomain(of: apex) }) {
            throw DNSServerError(
                .invalidConfiguration,
                "name server \(inside) lies inside \(apex), which has no address records for it"
            )
        }
        guard (512...65535).contains(maximumUDPPayload) else {
            throw DNSServerError(
                .invalidConfiguration,
                "maximumUDPPayload \(maximumUDPPayload) is outside 512...65535 (RFC 6891 §6.2.5)"
            )
        }
    }
}
