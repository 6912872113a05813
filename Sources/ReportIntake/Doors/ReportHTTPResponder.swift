package import HTTPCore
import JSON
import Store
import TLSReporting

/// The HTTPS door (RFC 8460 §5.4): `POST /v1/tlsrpt/<token>` on the reports host, answered by the edge's
/// HTTPS listener and run on a blocking pool (decompressing, checking and `fsync`ing a report is no work for
/// an event loop).
///
/// Never a redirect. 200 once the report is on disk; 404 for an unknown token; 400 or 413 for a body that can
/// never be a report (with a problem+json body naming the rule); 503 with `Retry-After` when the spool cannot
/// take it now, so the sender retries (RFC 8460 §5.5). The body is recognised by its content (gzip or JSON),
/// whatever its `Content-Type`: senders label it loosely.
///
/// ```swift
/// let responder = ReportHTTPResponder(acceptor: acceptor, problemBase: "https://api.example.net/problems/")
/// ```
package struct ReportHTTPResponder: HTTPResponder {
    /// The route's prefix; the token follows.
    package static let pathPrefix = "/v1/tlsrpt/"
    /// Largest body accepted (compressed or not); a report's JSON is capped at ``TLSReportLimits/maximumBytes``.
    package static let maximumBodyBytes = 4 << 20

    private let acceptor: ReportAcceptor
    private let problemBase: String

    /// - Parameter problemBase: the prefix of problem `type` URIs, as the API's (`https://<api host>/problems/`).
    package init(acceptor: ReportAcceptor, problemBase: String) {
        self.acceptor = acceptor
        self.problemBase = problemBase
    }

    package func respond(to request: HTTPRequest) -> HTTPResponse {
        let path = request.head.path
        guard path.hasPrefix(Self.pathPrefix) else {
            return problem(.notFound, "not-found", "Reports are posted to \(Self.pathPrefix)<token>.")
        }
        var token = String(path.dropFirst(Self.pathPrefix.count))
        if token.hasSuffix("/") { token.removeLast() }
        guard request.head.method == .post else {
            var response = problem(.methodNotAllowed, "method-not-allowed", "Reports are sent with POST.")
            response.fields.set(.allow, "POST")
            return response
        }
        let limits = acceptor.limits
        let body = request.body
        let verdict = acceptor.accept(token: token, channel: .https, client: request.clientAddress) {
            () throws(TLSReportError) -> [[UInt8]] in
            guard !body.isEmpty else {
                throw TLSReportError.undecodable.with(message: "The request has no body: post the report.")
            }
            return [try ReportPayload.decodeHTTPBody(body, limits: limits)]
        }
        switch verdict {
        case .accepted(let names):
            let body: JSONValue = ["status": "accepted", "reports": .int(names.count)]
            return HTTPResponse(status: .ok, fields: [.contentType: "application/json"], body: body.serialized())
        case .unknownToken:
            return problem(.notFound, "unknown-reporting-address", "No domain receives reports at this address.")
        case .rejected(let error) where error == .tooLarge:
            return problem(.contentTooLarge, "report-too-large", error.message)
        case .rejected(let error):
            return problem(.badRequest, "invalid-report", error.message)
        case .unavailable:
            var response = problem(
                .serviceUnavailable,
                "intake-unavailable",
                "The report cannot be stored now; send it again later."
            )
            response.fields.set(.retryAfter, "600")
            return response
        }
    }

    /// An RFC 9457 problem; `name` is the last segment of its `type`.
    func problem(_ status: HTTPStatus, _ name: String, _ detail: String) -> HTTPResponse {
        let body: JSONValue = [
            "type": .string(problemBase + name),
            "title": .string(status.reasonPhrase),
            "status": .int(status.code),
            "detail": .string(detail),
        ]
        return HTTPResponse(
            status: status,
            fields: [.contentType: "application/problem+json"],
            body: body.serialized()
        )
    }
}
