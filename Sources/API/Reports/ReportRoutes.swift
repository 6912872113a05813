import CivilTime
import Foundation
import HTTPCore
import JSON
import Store
import TLSReporting

/// The TLS reports a domain received (docs/reports.md): `GET /v1/domains/{name}/reports` (a page, newest
/// first), `…/reports/summary?days=` (daily totals, failures by result type and MX, reporters, enforce readiness)
/// and `…/reports/{id}` (one report with its failure details and the JSON as sent).
enum ReportRoutes {
    /// Most reports one page holds.
    static let maximumPageSize = 100
    /// The longest period a summary covers (the retention, rounded).
    static let maximumDays = 400

    static func register(on router: inout Router) {
        // Before `{id}`: routes match in registration order.
        router.get("/v1/domains/{name}/reports/summary") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            var days = 30
            if let text = context.query["days"] {
                guard let value = Int(text), (1...maximumDays).contains(value) else {
                    throw APIError.invalid("days", rule: "range", "days must be a whole number 1…\(maximumDays).")
                }
                days = value
            }
            return JSONResponse(.ok, try ReportViews.summary(domain, days: days, context))
        }
        router.get("/v1/domains/{name}/reports/{id}") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            guard let id = UUID(uuidString: context.parameter("id")),
                let report = try context.store.reports.report(domainID: domain.id, id: id)
            else { throw APIError.notFound("The report") }
            let history = try ReportViews.History(context.store.policies.history(domainID: domain.id))
            return JSONResponse(.ok, try ReportViews.detail(report, history: history))
        }
        router.get("/v1/domains/{name}/reports") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            let query = try ListQuery(context)
            let listings = try context.store.reports.list(
                domainID: domain.id,
                from: query.from,
                to: query.to,
                limit: query.limit + 1,
                before: query.before
            )
            let page = listings.prefix(query.limit)
            let history = try ReportViews.History(context.store.policies.history(domainID: domain.id))
            let next: JSONValue =
                listings.count > query.limit ? page.last.map { .string(ListQuery.cursor($0)) } ?? .null : .null
            return JSONResponse(
                .ok,
                [
                    "reports": .array(page.map { ReportViews.listing($0, history: history) }),
                    "from": .date(query.from), "to": .date(query.to), "next_before": next,
                ]
            )
        }
    }

    /// `from`, `to` (RFC 3339 date-times or dates), `limit` and the `before` cursor of the list.
    struct ListQuery {
        var from: Date
        var to: Date
        var limit = 50
        var before: (start: Date, id: UUID)?

        init(_ context: RequestContext) throws {
            let now = context.now
            to = try Self.date(context.query["to"], "to") ?? now.addingTimeInterval(86_400)
            from = try Self.date(context.query["from"], "from") ?? to.addingTimeInterval(-90 * 86_400)
            if let text = context.query["limit"] {
                guard let value = Int(text), (1...maximumPageSize).contains(value) else {
                    throw APIError.invalid("limit", rule: "range", "limit must be a whole number 1…\(maximumPageSize).")
                }
                limit = value
            }
            if let text = context.query["before"] {
                let parts = text.split(separator: "_")
                guard parts.count == 2, let milliseconds = Int64(parts[0]), let id = UUID(uuidString: String(parts[1]))
                else {
                    throw APIError.invalid("before", rule: "cursor", "before is the next_before of a previous page.")
                }
                before = (Date(timeIntervalSince1970: Double(milliseconds) / 1000), id)
            }
        }

        /// The cursor after `listing`: its start in Unix milliseconds and its id.
        static func cursor(_ listing: StoredReportListing) -> String {
            "\(Int64((listing.start.timeIntervalSince1970 * 1000).rounded(.down)))_\(listing.id.uuidString.lowercased())"
        }

        private static func date(_ text: String?, _ field: String) throws -> Date? {
            guard let text else { return nil }
            let value = text.count == 10 ? text + "T00:00:00Z" : text
            guard let seconds = RFC3339Timestamp.secondsSince1970(value) else {
                throw APIError.invalid(
                    field,
                    rule: "date",
                    "\(field) must be a date (2026-11-01) or an RFC 3339 date-time with a zone."
                )
            }
            return Date(timeIntervalSince1970: seconds)
        }
    }
}
