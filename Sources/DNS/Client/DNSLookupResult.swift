/// What a lookup found, with the CNAME targets followed on the way (not including the queried name).
package enum DNSLookupResult: Sendable, Hashable {
    /// Records of the requested type owned by the last name of the chain.
    case answer(records: [DNSResourceRecord], cnameChain: [DNSName])
    /// The (last) name does not exist.
    case nxdomain(cnameChain: [DNSName])
    /// The (last) name exists but has no records of the requested type.
    case noData(cnameChain: [DNSName])
    /// Every resolver failed with this response code (SERVFAIL, REFUSED, ...), or the CNAME chain in the
    /// answer looped or was longer than ``maxCNAMEChain`` (reported as SERVFAIL, as resolvers do).
    case serverFailure(DNSResponseCode)
    /// No resolver answered in time.
    case timeout
    /// Sending or receiving failed.
    case networkError(String)

    /// Most CNAME links followed within one answer.
    package static let maxCNAMEChain = 8

    /// Interprets a validated response to `question`: follows CNAMEs in the answer section from the queried
    /// name and classifies the result by response code.
    package init(response: DNSMessage, question: DNSQuestion) {
        let rcode = response.responseCode
        guard rcode == .noError || rcode == .nameError else {
            self = .serverFailure(rcode)
            return
        }
        var name = question.name
        var chain: [DNSName] = []
        while true {
            let matching = response.answers.filter {
                $0.name == name && $0.type == question.type && $0.recordClass == question.recordClass
            }
            if !matching.isEmpty {
                self = .answer(records: matching, cnameChain: chain)
                return
            }
            let link = response.answers.lazy.compactMap { record -> DNSName? in
                guard record.name == name, record.type == .cname, case .cname(let target) = record.data else {
                    return nil
                }
                return target
            }.first
            guard question.type != .cname, let target = link else { break }
            guard chain.count < Self.maxCNAMEChain, target != question.name, !chain.contains(target) else {
                self = .serverFailure(.serverFailure)
                return
            }
            chain.append(target)
            name = target
        }
        self = rcode == .nameError ? .nxdomain(cnameChain: chain) : .noData(cnameChain: chain)
    }

    /// The CNAME targets followed, empty for failures.
    package var cnameChain: [DNSName] {
        switch self {
        case .answer(_, let chain), .nxdomain(let chain), .noData(let chain): chain
        case .serverFailure, .timeout, .networkError: []
        }
    }
}
