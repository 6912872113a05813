// MARK: - Typed convenience lookups

extension DNSClient {
    /// MX records of `name`, lowest preference first; empty when the name or the records do not exist.
    /// - Throws: ``DNSError`` (`invalidName`, `timeout`, `serverFailure`, `network`).
    package func mx(_ name: String) throws(DNSError) -> [DNSMXRecord] {
        let records = try records(name, type: .mx).compactMap { record -> DNSMXRecord? in
            guard case .mx(let mx) = record.data else { return nil }
            return mx
        }
        return records.enumerated().sorted { ($0.element.preference, $0.offset) < ($1.element.preference, $1.offset) }
            .map(\.element)
    }

    /// TXT records of `name`, one array of character-strings per record.
    /// - Throws: ``DNSError`` (`invalidName`, `timeout`, `serverFailure`, `network`).
    package func txt(_ name: String) throws(DNSError) -> [[String]] {
        try records(name, type: .txt).compactMap { record -> [String]? in
            guard case .txt(let txt) = record.data else { return nil }
            return txt.texts
        }
    }

    /// A and AAAA addresses of `name`, IPv4 first.
    /// - Throws: ``DNSError`` when either lookup fails.
    package func addresses(_ name: String) throws(DNSError) -> [IPAddress] {
        let v4 = try records(name, type: .a).compactMap { record -> IPAddress? in
            guard case .a(let address) = record.data else { return nil }
            return .v4(address)
        }
        let v6 = try records(name, type: .aaaa).compactMap { record -> IPAddress? in
            guard case .aaaa(let address) = record.data else { return nil }
            return .v6(address)
        }
        return v4 + v6
    }

    /// CAA records of `name` itself (no climbing to parent names, RFC 8659 §3 is the caller's job).
    /// - Throws: ``DNSError`` (`invalidName`, `timeout`, `serverFailure`, `network`).
    package func caa(_ name: String) throws(DNSError) -> [DNSCAARecord] {
        try records(name, type: .caa).compactMap { record -> DNSCAARecord? in
            guard case .caa(let caa) = record.data else { return nil }
            return caa
        }
    }

    /// The CNAME target of `name`, or nil when it has none.
    /// - Throws: ``DNSError`` (`invalidName`, `timeout`, `serverFailure`, `network`).
    package func cname(_ name: String) throws(DNSError) -> DNSName? {
        try records(name, type: .cname).lazy.compactMap { record -> DNSName? in
            guard case .cname(let target) = record.data else { return nil }
            return target
        }.first
    }

    /// The answer records, `[]` for NXDOMAIN and NODATA, and a thrown error for failures.
    private func records(_ name: String, type: DNSRecordType) throws(DNSError) -> [DNSResourceRecord] {
        switch try query(name, type: type) {
        case .answer(let records, _):
            return records
        case .nxdomain, .noData:
            return []
        case .serverFailure(let rcode):
            throw DNSError(.serverFailure, "\(type) lookup for \(name) failed with \(rcode)")
        case .timeout:
            throw DNSError(.timeout, "\(type) lookup for \(name) timed out")
        case .networkError(let message):
            throw DNSError(.network, "\(type) lookup for \(name): \(message)")
        }
    }
}
