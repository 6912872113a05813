package import DNS
import Dispatch
import Foundation
import JSON
import MTASTS
import Synchronization

/// Live DNS lookups for the API, turned into what the tenant needs to see: exactly what was found.
///
/// One value serves one request, under that request's time budget: every lookup's timeouts are cut to what is
/// left of it, ``prefetch(_:)`` runs independent lookups in parallel, and answers are shared for a few seconds
/// through the process's ``LiveLookupService`` cache. Obtain one with ``RequestContext/withLiveLookups(for:_:)``,
/// which also caps the lookups one account runs at once.
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

    /// A name and type to look up.
    struct Query: Hashable, Sendable {
        var name: String
        var type: DNSRecordType
    }

    /// The results this request has seen, filled in parallel by ``prefetch(_:)``.
    private final class Memo: Sendable {
        let results = Mutex<[Query: DNSLookupResult]>([:])
    }

    let service: LiveLookupService
    /// When the request's budget runs out.
    let deadline: ContinuousClock.Instant
    private let memo = Memo()

    init(service: LiveLookupService, deadline: ContinuousClock.Instant) {
        self.service = service
        self.deadline = deadline
    }

    /// Runs `queries` in parallel, within the budget; later ``lookup(_:type:)`` and ``mx(_:)`` calls for them
    /// answer from what was found.
    ///
    /// `concurrentPerform` runs lookups on the calling thread too, with Dispatch's workers helping when they are
    /// free: when they are all busy elsewhere the lookups still start, one after another, instead of waiting
    /// unstarted until the budget is gone. Every lookup ends by the deadline (``LiveLookupService/resolve(_:before:)``).
    func prefetch(_ queries: [Query]) {
        let unique = Array(Set(queries))
        DispatchQueue.concurrentPerform(iterations: unique.count) { index in
            _ = query(unique[index].name, type: unique[index].type)
        }
    }

    /// Looks up `type` at `name` and describes the answer.
    func lookup(_ name: String, type: DNSRecordType) -> Outcome {
        describe(query(name, type: type), name: name, type: type)
    }

    private func query(_ name: String, type: DNSRecordType) -> DNSLookupResult {
        let key = Query(name: name.lowercased(), type: type)
        if let seen = memo.results.withLock({ $0[key] }) { return seen }
        let result = service.cached(key) ?? service.resolve(key, before: deadline)
        memo.results.withLock { $0[key] = result }
        return result
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
            return Outcome(
                result: "timeout",
                values: [],
                detail:
                    "The resolver did not answer for \(name) in time (lookups get \(service.budgetText) per request)."
            )
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

/// The API process's live-lookup machinery: the resolver client, the per-request time budget, a short shared
/// cache of answers, and the per-account cap on requests running lookups at once, so that a tenant whose name
/// servers never answer holds at most ``perAccount`` API threads for at most ``budget`` each.
package final class LiveLookupService: Sendable {
    /// The resolver client; its timeouts are cut to the budget left.
    package let client: DNSClient
    /// Time for all the lookups of one request.
    package let budget: Duration
    /// Requests with lookups one account may run at once; more get 429.
    package let perAccount: Int
    /// How long answers (not failures) are shared between requests.
    package let cacheLifetime: Duration
    /// Most cached answers.
    package let cacheCapacity: Int

    private let cache = Mutex<[LiveLookup.Query: (result: DNSLookupResult, until: ContinuousClock.Instant)]>([:])
    private let inFlight = Mutex<[UUID: Int]>([:])

    package init(
        client: DNSClient,
        budget: Duration = .seconds(5),
        perAccount: Int = 2,
        cacheLifetime: Duration = .seconds(5),
        cacheCapacity: Int = 10_000
    ) {
        self.client = client
        self.budget = budget
        self.perAccount = perAccount
        self.cacheLifetime = cacheLifetime
        self.cacheCapacity = cacheCapacity
    }

    /// The budget for messages: `5 s`.
    var budgetText: String {
        let (seconds, attoseconds) = budget.components
        return attoseconds == 0
            ? "\(seconds) s" : String(format: "%.1f s", Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Takes one of `account`'s slots for the duration of `body`.
    /// - Returns: nil when the account already runs ``perAccount`` such requests.
    func withSlot<Value>(account: UUID, _ body: () throws -> Value) rethrows -> Value? {
        let admitted = inFlight.withLock { counts -> Bool in
            guard counts[account, default: 0] < perAccount else { return false }
            counts[account, default: 0] += 1
            return true
        }
        guard admitted else { return nil }
        defer {
            inFlight.withLock { counts in
                let left = counts[account, default: 1] - 1
                counts[account] = left > 0 ? left : nil
            }
        }
        return try body()
    }

    func cached(_ query: LiveLookup.Query) -> DNSLookupResult? {
        let now = ContinuousClock.now
        return cache.withLock { entries in
            guard let entry = entries[query] else { return nil }
            guard entry.until > now else {
                entries[query] = nil
                return nil
            }
            return entry.result
        }
    }

    /// Asks the resolvers, each exchange's timeout cut so that the whole lookup ends by `deadline`.
    func resolve(_ query: LiveLookup.Query, before deadline: ContinuousClock.Instant) -> DNSLookupResult {
        let left = ContinuousClock.now.duration(to: deadline)
        let exchanges = max(1, client.attempts) * max(1, client.resolvers.count)
        guard left > .milliseconds(20) else { return .timeout }
        var bounded = client
        bounded.timeout = min(client.timeout, left / exchanges)
        let result: DNSLookupResult
        do {
            result = try bounded.query(query.name, type: query.type)
        } catch {
            return .networkError("\(query.name) is not a valid DNS name")
        }
        switch result {
        case .answer, .nxdomain, .noData:
            let until = ContinuousClock.now + cacheLifetime
            cache.withLock { entries in
                if entries.count >= cacheCapacity {
                    let now = ContinuousClock.now
                    entries = entries.filter { $0.value.until > now }
                    if entries.count >= cacheCapacity { entries.removeAll(keepingCapacity: true) }
                }
                entries[query] = (result, until)
            }
        case .serverFailure, .timeout, .networkError:
            break
        }
        return result
    }
}
