import DNS

// MARK: - The zone's data (RFC 1034 §4.3.2, RFC 2308)

extension AuthoritativeResponder {
    /// The sections of an answer from the zone.
    struct ZoneAnswer {
        /// NOERROR or NXDOMAIN.
        var rcode: DNSResponseCode
        /// The answer section.
        var answers: [DNSResourceRecord] = []
        /// The authority section: the SOA in negative answers.
        var authorities: [DNSResourceRecord] = []
    }

    /// No secondary transfers this zone (AXFR is refused), so the SOA timers only need to be sensible: the values
    /// RIPE-203 recommends (refresh one day, retry two hours, expire about six weeks).
    static let soaRefresh: UInt32 = 86400
    /// See ``soaRefresh``.
    static let soaRetry: UInt32 = 7200
    /// See ``soaRefresh``.
    static let soaExpire: UInt32 = 3_600_000

    /// Looks `question` up at `node` (inside the zone, not a transfer).
    ///
    /// Owner names are the question's name as received, so the encoder compresses them to a pointer at the
    /// question (offset 12) and the client sees its own spelling back.
    func answer(
        _ question: DNSQuestion,
        at node: AuthoritativeZoneNode,
        content: some AuthoritativeZoneContent
    ) -> ZoneAnswer {
        let text: String?
        switch node {
        case .outsideZone, .nonexistent:
            return nameError(content: content)
        case .emptyNonTerminal:
            // RFC 8020 §2, RFC 4592 §2.2.2: an empty non-terminal exists; every type there is NODATA.
            return noData(content: content)
        case .apex:
            switch question.type {
            case .soa, .any:
                // RFC 8482 §4.1: ANY is answered with one RRset of those present; the SOA is always there.
                return ZoneAnswer(rcode: .noError, answers: [soaRecord(owner: question.name, content: content)])
            case .ns:
                var records = nameServerRecords
                for index in records.indices {
                    records[index].name = question.name
                }
                return ZoneAnswer(rcode: .noError, answers: records)
            default:
                return noData(content: content)
            }
        case .sts(let label):
            text = content.stsRecord(label: label)
        case .tlsrpt(let label):
            text = content.tlsrptRecord(label: label)
        }
        guard let text else {
            return nameError(content: content)
        }
        guard question.type == .txt || question.type == .any else {
            return noData(content: content)
        }
        // RFC 8482 §4.1: the TXT is the only RRset at a leaf, so ANY gets exactly what TXT gets.
        let record = DNSResourceRecord(name: question.name, ttl: zone.recordTTL, data: .txt(Self.txtData(text)))
        return ZoneAnswer(rcode: .noError, answers: [record])
    }

    /// `text` as character-strings of at most 255 bytes (RFC 1035 §3.3.14), split where the wire format splits it,
    /// so the response message equals what a client decodes. Readers join them without separators (RFC 8461 §3.1,
    /// RFC 8460 §3).
    private static func txtData(_ text: String) -> DNSTXTRecord {
        let bytes = Array(text.utf8)
        let strings = stride(from: 0, to: max(bytes.count, 1), by: 255).map { start in
            Array(bytes[start..<min(start + 255, bytes.count)])
        }
        return DNSTXTRecord(strings: strings)
    }

    /// NXDOMAIN with the SOA in the authority section (RFC 2308 §2.1, §3).
    private func nameError(content: some AuthoritativeZoneContent) -> ZoneAnswer {
        ZoneAnswer(rcode: .nameError, authorities: [negativeSOA(content: content)])
    }

    /// NODATA: NOERROR, no answer, the SOA in the authority section (RFC 2308 §2.2, §3).
    private func noData(content: some AuthoritativeZoneContent) -> ZoneAnswer {
        ZoneAnswer(rcode: .noError, authorities: [negativeSOA(content: content)])
    }

    /// The SOA for a negative answer. RFC 2308 §3: its TTL is the lesser of the SOA's own TTL and its MINIMUM, so
    /// that a resolver caching the negative answer never keeps it longer than either.
    private func negativeSOA(content: some AuthoritativeZoneContent) -> DNSResourceRecord {
        var record = soaRecord(owner: zone.apex, content: content)
        record.ttl = min(zone.apexTTL, zone.negativeTTL)
        return record
    }

    /// The zone's SOA record owned by `owner` (the apex, spelt as the question spelt it when it asked for it).
    private func soaRecord(owner: DNSName, content: some AuthoritativeZoneContent) -> DNSResourceRecord {
        DNSResourceRecord(
            name: owner,
            ttl: zone.apexTTL,
            data: .soa(
                DNSSOARecord(
                    // Never out of range: the initializer's validate() rejects an empty list.
                    primaryServer: zone.nameServers[0],
                    responsibleMailbox: zone.hostmaster,
                    serial: content.serial,
                    refresh: Self.soaRefresh,
                    retry: Self.soaRetry,
                    expire: Self.soaExpire,
                    minimum: zone.negativeTTL
                )
            )
        )
    }
}
