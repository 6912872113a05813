import Foundation
import HTTPCore
import JSON
import Store

/// `GET /v1/audit-log`: the caller's account's audit log, newest first, a page at a time (docs/api.md).
enum AuditLogRoute {
    /// Most entries one page holds.
    static let maximumPageSize = 100
    /// Entries on a page unless `limit` says otherwise.
    static let defaultPageSize = 50

    static func register(on router: inout Router) {
        router.get("/v1/audit-log") { request, context in
            let caller = try context.authenticate(request)
            let query = try ListQuery(context)
            let entries = try context.store.auditLog.list(
                accountID: caller.account.id,
                limit: query.limit + 1,
                before: query.before,
                target: query.domain,
                action: query.action
            )
            let page = entries.prefix(query.limit)
            let next: JSONValue = entries.count > query.limit ? page.last.map { .int(Int($0.id)) } ?? .null : .null
            return JSONResponse(.ok, ["entries": .array(page.map(json)), "next_before": next])
        }
    }

    /// An entry as the API shows it.
    static func json(_ entry: AuditEntry) -> JSONValue {
        [
            "id": .int(Int(entry.id)),
            "at": .date(entry.at),
            "actor": ["kind": .string(entry.actor.rawValue), "id": .string(entry.actorDetail)],
            "action": .string(entry.action),
            "target": .string(entry.target),
            "request_id": .string(entry.requestID),
            "source_address": .string(entry.sourceAddress),
            "details": .object(
                entry.details.keys.sorted().map { JSONMember(key: $0, value: .string(entry.details[$0] ?? "")) }
            ),
        ]
    }

    /// `limit`, the `before` cursor and the `domain` and `action` filters.
    struct ListQuery {
        var limit = defaultPageSize
        var before: Int64?
        var domain: String?
        var action: String?

        init(_ context: RequestContext) throws {
            if let text = context.query["limit"] {
                guard let value = Int(text), (1...maximumPageSize).contains(value) else {
                    throw APIError.invalid("limit", rule: "range", "limit must be a whole number 1…\(maximumPageSize).")
                }
                limit = value
            }
            if let text = context.query["before"] {
                guard let value = Int64(text), value >= 1 else {
                    throw APIError.invalid("before", rule: "cursor", "before is the next_before of a previous page.")
                }
                before = value
            }
            if let text = context.query["domain"] {
                guard (1...253).contains(text.unicodeScalars.count) else {
                    throw APIError.invalid("domain", rule: "max_length", "domain must be 1…253 characters.")
                }
                // Entries name domains as stored: lower case, no trailing dot.
                domain = text.hasSuffix(".") ? String(text.dropLast()).lowercased() : text.lowercased()
            }
            if let text = context.query["action"] {
                guard text.utf8.count <= 64, Self.isActionName(text) else {
                    throw APIError.invalid(
                        "action",
                        rule: "format",
                        "action is a dotted name of at most 64 characters such as domain.create."
                    )
                }
                action = text
            }
        }

        /// Whether `text` is shaped like an action name: lower-case words of letters and `_`, joined by dots.
        static func isActionName(_ text: String) -> Bool {
            let words = text.split(separator: ".", omittingEmptySubsequences: false)
            return words.allSatisfy { word in
                guard let first = word.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
                    return false
                }
                return word.utf8.allSatisfy {
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: "_")
                }
            }
        }
    }
}
