package import DNS

/// Whether `mta-sts.<domain>` points at the edge: a CNAME chain through the edge host name, or the same
/// addresses as the edge host name.
package enum EdgeTargetCheck {
    package enum Result: Sendable, Equatable {
        case pointsToEdge
        /// The name does not exist or has no address: the tenant has not added the CNAME yet.
        case missing
        /// It exists but points elsewhere; `found` describes what it points at.
        case wrong(found: String)
        /// The resolver failed; try again later.
        case lookupFailed(String)
    }

    package static func check(host: String, edgeHostname: String, client: DNSClient) -> Result {
        guard let name = try? DNSName(host), let edge = try? DNSName(edgeHostname) else {
            return .lookupFailed("invalid name")
        }
        let hostResult = client.query(name, type: .a)
        switch hostResult {
        case .answer(_, let chain), .noData(let chain), .nxdomain(let chain):
            if chain.contains(edge) { return .pointsToEdge }
        default:
            break
        }
        switch hostResult {
        case .nxdomain(let chain) where chain.isEmpty:
            return .missing
        case .noData(let chain) where chain.isEmpty:
            return .missing
        case .nxdomain(let chain), .noData(let chain):
            return .wrong(found: "CNAME to \(chain.map(\.description).joined(separator: " → ")) without an address")
        case .answer(let records, let chain):
            let hostAddresses = Set(records.compactMap(address))
            let edgeAddresses: Set<String>
            switch client.query(edge, type: .a) {
            case .answer(let edgeRecords, _): edgeAddresses = Set(edgeRecords.compactMap(address))
            default: edgeAddresses = []
            }
            if !hostAddresses.isEmpty && hostAddresses == edgeAddresses { return .pointsToEdge }
            let target = chain.isEmpty ? "" : "CNAME \(chain.map(\.description).joined(separator: " → ")), "
            return .wrong(found: target + "addresses " + hostAddresses.sorted().joined(separator: ", "))
        case .serverFailure(let code):
            return .lookupFailed("resolver answered \(code)")
        case .timeout:
            return .lookupFailed("resolver timed out")
        case .networkError(let message):
            return .lookupFailed(message)
        }
    }

    private static func address(_ record: DNSResourceRecord) -> String? {
        switch record.data {
        case .a(let address): "\(address)"
        case .aaaa(let address): "\(address)"
        default: nil
        }
    }
}
