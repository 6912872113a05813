/// The outcome of looking at every TXT record at a discovery name (RFC 8461 §3.1, RFC 8460 §3).
package enum RecordDiscovery<Record: Equatable & Sendable>: Equatable, Sendable {
    /// Exactly one record with the right prefix, and it parsed.
    case found(Record)
    /// No record with the right prefix: the domain publishes none.
    case none
    /// More than one record with the right prefix: treated as none by senders. Carries the count.
    case multiple(Int)
    /// Exactly one candidate, but it is syntactically invalid: treated as none by senders.
    case invalid(RecordError)

    /// Applies the selection rule shared by both RFCs.
    ///
    /// Each TXT RR is a list of character-strings concatenated without separator. Records whose text does not
    /// start with `prefix` (e.g. `v=STSv1;`) are discarded — literally, so `v=STSv1 ;` is discarded too, as the
    /// RFC 8461 §3.1 prose says (see erratum 6285 on that inconsistency with the ABNF).
    static func select(
        _ txtRecords: [[String]],
        prefix: String,
        parse: (String) throws(RecordError) -> Record
    ) -> RecordDiscovery<Record> {
        let candidates = txtRecords.map { $0.joined() }.filter { $0.hasPrefix(prefix) }
        guard let only = candidates.first else { return .none }
        guard candidates.count == 1 else { return .multiple(candidates.count) }
        do {
            return .found(try parse(only))
        } catch {
            return .invalid(error)
        }
    }
}

/// The result of MTA-STS TXT record discovery.
package typealias STSDiscovery = RecordDiscovery<STSRecord>

/// The result of TLSRPT TXT record discovery.
package typealias TLSRPTDiscovery = RecordDiscovery<TLSRPTRecord>
