import Crypto
import Foundation
package import HTTPCore
import JSON
import Logging
import Store

/// The JSON REST API as an `HTTPResponder`: routing, authentication, problem documents.
///
/// Called synchronously on a worker thread (it blocks on PostgreSQL and DNS). Every failure becomes a response:
/// an `HTTPResponseError` its own problem document, anything else a 500 naming only the request id.
///
/// ```swift
/// let api = APIResponder(environment: environment)
/// let response = api.respond(to: HTTPRequest(head: HTTPRequestHead(method: .get, target: "/v1/account",
///     fields: [.authorization: "Bearer mts_…"])))
/// ```
package struct APIResponder: HTTPResponder {
    /// The environment every handler sees.
    package let environment: APIEnvironment
    /// The registered routes.
    package let router: Router
    /// The web form, answered before the router for its few paths (`/`, `/app.js`, …); nil serves none.
    package let staticFiles: StaticFiles?
    /// Counts every answer by route template and status, with latencies; nil counts nothing.
    package let metrics: APIMetrics?

    private static let requestIDField = HTTPField.Name("X-Request-ID")
    private static let contentTypeOptionsField = HTTPField.Name("X-Content-Type-Options")
    private static let strictTransportSecurityField = HTTPField.Name("Strict-Transport-Security")

    /// Creates the responder with every route of the API registered.
    /// - Parameters:
    ///   - environment: configuration and collaborators of the handlers.
    ///   - staticFiles: the web form's files, or nil to serve only the JSON API.
    ///   - metrics: where answers are counted (the API role's `/metrics`).
    package init(environment: APIEnvironment, staticFiles: StaticFiles? = nil, metrics: APIMetrics? = nil) {
        self.environment = environment
        self.staticFiles = staticFiles
        self.metrics = metrics
        var router = Router()
        APIRoutes.register(on: &router)
        self.router = router
    }

    /// The answer when every API thread is busy and the queue is full: 503 with `Retry-After`, as a problem
    /// document (``HTTPServerConfiguration/overloadedResponse``).
    package var overloadedResponse: HTTPResponse {
        var response = APIError(
            .serviceUnavailable,
            "overloaded",
            title: "Too busy",
            detail: "Every API thread is busy and the queue is full; retry in a second.",
            headers: [.retryAfter: "1"]
        ).response(problemBase: environment.problemBase)
        if let name = Self.contentTypeOptionsField { response.fields.set(name, "nosniff") }
        return response
    }

    package func respond(to request: HTTPRequest) -> HTTPResponse {
        var response = answer(request)
        // Served over HTTPS (by this listener or a proxy): browsers must not come back over plain HTTP.
        if environment.publicBaseURL.hasPrefix("https://"), let name = Self.strictTransportSecurityField {
            response.fields.set(name, "max-age=31536000")
        }
        return response
    }

    private func answer(_ request: HTTPRequest) -> HTTPResponse {
        let started = ContinuousClock.now
        if let staticFiles, let response = staticFiles.response(to: request) {
            countAnswer(request, route: nil, response: response, since: started)
            return response
        }
        let requestID = Hex.encode((try? SecureRandom.bytes(count: 8)) ?? Array(UUID().uuidString.utf8.prefix(8)))
        let logger = environment.logger.with(["request_id": requestID])
        var route: Router.Route?
        var response = dispatch(request, requestID: requestID, logger: logger, route: &route)
        countAnswer(request, route: route.map(\.template) ?? "unmatched", response: response, since: started)
        if let name = Self.requestIDField { response.fields.set(name, requestID) }
        // A JSON or problem body is never to be sniffed into something a browser would run.
        if let name = Self.contentTypeOptionsField { response.fields.set(name, "nosniff") }
        return response
    }

    /// Counts the answer; `route` is the matched template, `unmatched`, or nil for the web form's files.
    private func countAnswer(
        _ request: HTTPRequest,
        route: String?,
        response: HTTPResponse,
        since started: ContinuousClock.Instant
    ) {
        guard let metrics else { return }
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        // Only methods the router knows become labels: a client must not grow the label set.
        let method = route == nil || route == "unmatched" ? "-" : request.head.method.rawValue
        metrics.record(
            method: method,
            route: route ?? "static",
            status: response.status.code,
            seconds: Double(seconds) + Double(attoseconds) / 1e18
        )
    }

    private func dispatch(
        _ request: HTTPRequest,
        requestID: String,
        logger: Logger,
        route matched: inout Router.Route?
    ) -> HTTPResponse {
        do {
            switch router.match(method: request.head.method, path: request.head.path) {
            case .notFound:
                throw APIError.notFound("The resource \(request.head.path.prefix(200))")
            case .methodNotAllowed(let allowed):
                let list = allowed.map(\.rawValue).joined(separator: ", ")
                throw APIError(
                    .methodNotAllowed,
                    "method-not-allowed",
                    title: "Method not allowed",
                    detail: "\(request.head.method.rawValue.prefix(20)) is not allowed here; use \(list).",
                    headers: [.allow: list]
                )
            case .found(let route, let parameters):
                matched = route
                guard let query = PercentDecoding.query(request.head.query) else {
                    throw APIError(
                        .badRequest,
                        "malformed-query",
                        title: "Malformed query string",
                        detail: "The query string has a broken percent escape."
                    )
                }
                let context = RequestContext(
                    requestID: requestID,
                    parameters: parameters,
                    environment: environment,
                    query: query,
                    logger: logger
                )
                let generator = try route.handler(request, context)
                let response = generator.response()
                if response.status.kind == 2, let audit = route.audit {
                    record(audit, route: route, request: request, context: context, result: generator)
                }
                return response
            }
        } catch let error as any HTTPResponseError {
            if error.status.kind == 5 { logger.error("request failed", ["error": "\(error)"]) }
            return error.response(problemBase: environment.problemBase)
        } catch  where DataStore.isUnavailable(error) {
            // A restart or failover of PostgreSQL: the next request reconnects (to the promoted server with a
            // multi-host MTASTS_DATABASE_URL), so the client is told to retry, not that the server is broken.
            logger.warning("database unavailable", ["error": "\(error)"])
            return APIError(
                .serviceUnavailable,
                "database-unavailable",
                title: "Database unavailable",
                detail: "The database cannot be reached right now; retry in a few seconds.",
                headers: [.retryAfter: "2"]
            ).response(problemBase: environment.problemBase)
        } catch {
            logger.error(
                "unhandled error",
                [
                    "error": "\(error)", "method": request.head.method.rawValue,
                    "path": String(request.head.path.prefix(200)),
                ]
            )
            return APIError(
                .internalServerError,
                "internal-error",
                title: "Internal server error",
                detail: "The request failed on the server; quote request id \(requestID) when reporting it.",
                extra: [JSONMember(key: "request_id", value: .string(requestID))]
            ).response(problemBase: environment.problemBase)
        }
    }
}
