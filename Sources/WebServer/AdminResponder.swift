package import HTTPCore

/// What every role's admin listener answers: `GET /healthz` (the process is alive and answering: always
/// 200), `GET /readyz` (200 when the role can do its work now, else 503 naming each reason) and
/// `GET /metrics` (Prometheus text). Anything else is 404, a method other than GET or HEAD 405.
///
/// ```swift
/// AdminResponder(readiness: { holder.readinessProblems(maximumStaleness: 900) }, metrics: metrics.render)
/// ```
package struct AdminResponder: HTTPResponder {
    private let readiness: @Sendable () -> [String]
    private let metrics: @Sendable () -> String

    /// - Parameters:
    ///   - readiness: why the role is not ready, one sentence each; empty when it is.
    ///   - metrics: the Prometheus text document.
    package init(readiness: @escaping @Sendable () -> [String], metrics: @escaping @Sendable () -> String) {
        self.readiness = readiness
        self.metrics = metrics
    }

    package func respond(to request: HTTPRequest) -> HTTPResponse {
        guard request.head.method == .get || request.head.method == .head else {
            return text(.methodNotAllowed, "405 Method Not Allowed\n", extra: [.allow: "GET, HEAD"])
        }
        switch request.head.path {
        case "/healthz":
            return text(.ok, "ok\n")
        case "/readyz":
            let problems = readiness()
            if problems.isEmpty { return text(.ok, "ready\n") }
            return text(.serviceUnavailable, "not ready\n" + problems.map { "- \($0)\n" }.joined())
        case "/metrics":
            return text(.ok, metrics(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        default:
            return text(.notFound, "404 Not Found\n")
        }
    }

    private func text(
        _ status: HTTPStatus,
        _ body: String,
        contentType: String = "text/plain; charset=utf-8",
        extra: HTTPFields = [:]
    ) -> HTTPResponse {
        var fields = extra
        fields.set(.contentType, contentType)
        fields.set(.cacheControl, "no-store")
        return HTTPResponse(status: status, fields: fields, body: Array(body.utf8))
    }
}
