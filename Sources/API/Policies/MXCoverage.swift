import JSON
import MTASTS

/// Which policy pattern covers which live MX host (RFC 8461 §4.1 matching), and what is left over.
struct MXCoverage {
    /// One live MX host and the first pattern that matches it.
    struct Entry {
        var host: String
        var preference: Int
        var coveredBy: MXPattern?
    }

    var entries: [Entry]
    /// Patterns that match no live MX host.
    var unusedPatterns: [MXPattern]

    init(hosts: [LiveLookup.MXHost], patterns: [MXPattern]) {
        entries = hosts.map { host in
            Entry(host: host.host, preference: host.preference, coveredBy: patterns.first { $0.matches(host.host) })
        }
        unusedPatterns = patterns.filter { pattern in !hosts.contains { pattern.matches($0.host) } }
    }

    /// Hosts no pattern covers.
    var uncoveredHosts: [String] { entries.filter { $0.coveredBy == nil }.map(\.host) }

    func json(lookup: LiveLookup.Outcome) -> JSONValue {
        [
            "mx_hosts": .array(
                entries.map { entry in
                    [
                        "host": .string(entry.host), "preference": .int(entry.preference),
                        "covered_by": .string(entry.coveredBy?.description),
                    ]
                }
            ),
            "uncovered_hosts": .array(uncoveredHosts.map { .string($0) }),
            "unused_patterns": .array(unusedPatterns.map { .string($0.description) }),
            "lookup": lookup.json,
        ]
    }
}
