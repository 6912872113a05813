package import HTTPCore

/// A route handler: returns a response or throws (an `HTTPResponseError`, or anything else for a 500).
package typealias RouteHandler = @Sendable (HTTPRequest, RequestContext) throws -> any ResponseGenerator

/// Matches method + path templates such as `/v1/domains/{name}`, in the style of Hummingbird's router.
///
/// ```swift
/// var router = Router()
/// router.get("/v1/domains/{name}") { request, context in
///     JSONResponse(.ok, ["name": .string(context.parameter("name"))])
/// }
/// ```
package struct Router: Sendable {
    /// One registered route.
    package struct Route: Sendable {
        package let method: HTTPMethod
        package let template: String
        /// What the audit log records when the route succeeds; nil for a GET, which changes nothing.
        package let audit: RouteAudit?
        let segments: [Segment]
        let handler: RouteHandler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    /// The result of matching a request.
    enum Match {
        case found(Route, [String: String])
        case methodNotAllowed([HTTPMethod])
        case notFound
    }

    /// Every route in registration order.
    package private(set) var routes: [Route] = []

    package init() {}

    /// Registers `handler` for `method` and `template`; `{name}` segments capture one path segment.
    /// - Parameter audit: what the audit log records on success; required for every method but GET.
    package mutating func on(
        _ method: HTTPMethod,
        _ template: String,
        audit: RouteAudit?,
        _ handler: @escaping RouteHandler
    ) {
        precondition(audit != nil || method == .get, "\(method.rawValue) \(template) must declare its audit entry")
        let segments = template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}")
                ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        routes.append(Route(method: method, template: template, audit: audit, segments: segments, handler: handler))
    }

    /// Registers a GET route.
    package mutating func get(_ template: String, _ handler: @escaping RouteHandler) {
        on(.get, template, audit: nil, handler)
    }
    /// Registers a POST route with the audit entry its success writes.
    package mutating func post(_ template: String, audit: RouteAudit, _ handler: @escaping RouteHandler) {
        on(.post, template, audit: audit, handler)
    }
    /// Registers a PUT route with the audit entry its success writes.
    package mutating func put(_ template: String, audit: RouteAudit, _ handler: @escaping RouteHandler) {
        on(.put, template, audit: audit, handler)
    }
    /// Registers a DELETE route with the audit entry its success writes.
    package mutating func delete(_ template: String, audit: RouteAudit, _ handler: @escaping RouteHandler) {
        on(.delete, template, audit: audit, handler)
    }

    /// Finds the route for `method` and `path`; a path that matches other methods only is `methodNotAllowed`.
    func match(method: HTTPMethod, path: Substring) -> Match {
        guard path.hasPrefix("/") else { return .notFound }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var allowed: [HTTPMethod] = []
        for route in routes {
            guard let parameters = Self.bind(route.segments, to: Array(parts)) else { continue }
            if route.method == method { return .found(route, parameters) }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }

    private static func bind(_ segments: [Segment], to parts: [Substring]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .parameter(let name):
                guard !part.isEmpty, let decoded = PercentDecoding.decode(part) else { return nil }
                parameters[name] = decoded
            }
        }
        return parameters
    }
}
