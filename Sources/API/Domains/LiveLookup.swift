import DNS
import MTASTS

/// Live DNS lookups for the API, turned into what the tenant needs to see: exactly what was found.
struct LiveLookup {
    /// The outcome of one lookup, as a short code plus the values or the failure.
    struct Outcome {
        /// `answer`, `nxdomain`, `no_data`, `server_failure`, `timeout`, `network_error`.
        var result: String
        /// The record values found (TXT strings joined, MX as `pref host`, CNAME target).
        var values: [String]
        /// A sentence for people.
        var detail: String
        /// Whether the resolver failed (as opposed to answering that nothing is there).
        var isFailure: Bool { !["answer", "nxdomain", "no_data"].contains(result) }

        var json: JSONValue {
            ["result": .string(result), "values": .array(values.map { .string($0) }), "detail": .string(detail)]
        }
    }

    /// One MX host.
    struct MXHost {
        var preference: Int
        var host: String
    }

    let client: DNSClient

    /// Looks up `type` at `name` and describes the answer.
    func lookup(_ name: String, type: DNSRecordType) -> Outcome {
        describe(query(name, type: type), name: name, type: type)
    }

    private func query(_ name: String, type: DNSRecordType) -> DNSLookupResult {
        do {
            return try client.query(name, type: type)
        } catch {
            return .networkError("\(name) is not a valid DNS name")
        }
    }

    private func describe(_ result: DNSLookupResult, name: String, type: DNSRecordType) -> Outcome {
        switch result {
        case .answer(let records, _):
            let values = records.map { record -> String in
                switch record.data {
                case .txt(let txt): txt.joinedText
                case .mx(let mx): "\(mx.preference) \(mx.exchange)"
                case .cname(let target): target.description
                default: "\(record.data)"
                }
            }
            return Outcome(result: "answer", values: values, detail: "\(name) has \(values.count) \(type) record(s).")
        case .nxdomain:
            return Outcome(result: "nxdomain", values: [], detail: "\(name) does not exist (NXDOMAIN).")
        case .noData:
            return Outcome(result: "no_data", values: [], detail: "\(name) exists but has no \(type) record (NODATA).")
        case .serverFailure(let code):
            return Outcome(result: "server_failure", values: [], detail: "The resolver answered \(code) for \(name).")
        case .timeout:
            return Outcome(result: "timeout", values: [], detail: "The resolver did not answer for \(name) in time.")
        case .networkError(let message):
            return Outcome(result: "network_error", values: [], detail: "Lookup of \(name) failed: \(message)")
        }
    }

    /// The MX hosts of `domain`, lowest preference first; a null MX (RFC 7505, `.`) yields no hosts.
    func mx(_ domain: String) -> (hosts: [MXHost], outcome: Outcome) {
        let result = query(domain, type: .mx)
        let outcome = describe(result, name: domain, type: .mx)
        guard case .answer(let records, _) = result else {
            return ([], outcome)
        }
        let hosts = records.compactMap { record -> MXHost? in
            guard case .mx(let mx) = record.data, !mx.exchange.isRoot else { return nil }
            return MXHost(preference: Int(mx.preference), host: mx.exchange.description.lowercased())
        }.sorted { ($0.preference, $0.host) < ($1.preference, $1.host) }
        return (hosts, outcome)
    }
}
