import Foundation
package import HTTPCore
import SnapshotSync
import TLS

/// Answers `https://mta-sts.<domain>/.well-known/mta-sts.txt` from the snapshot (RFC 8461 §3.2).
///
/// Always 200 with `text/plain` for a served host, never a redirect. The `Host` header must name the same
/// host as the TLS SNI (421 otherwise), other paths are 404 and other methods 405.
package struct PolicyResponder: HTTPResponder {
    package static let policyPath = "/.well-known/mta-sts.txt"
    private let holder: EdgeSnapshotHolder

    package init(holder: EdgeSnapshotHolder) {
        self.holder = holder
    }

    package func respond(to request: HTTPRequest) -> HTTPResponse {
        let host = EdgeResponses.host(of: request)
        if let serverName = request.serverName, let host, host != serverName {
            return EdgeResponses.text(.misdirectedRequest, "421 Misdirected Request\n")
        }
        guard let host, let policy = holder.current.entry(for: host)?.policy else {
            return EdgeResponses.text(.notFound, "404 Not Found\n")
        }
        guard request.head.path == Self.policyPath else {
            return EdgeResponses.text(.notFound, "404 Not Found\n")
        }
        guard request.head.method == .get || request.head.method == .head else {
            return EdgeResponses.methodNotAllowed
        }
        return HTTPResponse(status: .ok, fields: Self.policyFields, body: policy.body.bytes)
    }

    /// The same two fields on every policy response, built once.
    private static let policyFields: HTTPFields = {
        var fields = HTTPFields()
        fields.set(.contentType, "text/plain; charset=utf-8")
        // RFC 8461 §8.2: a multi-tenant policy host MAY send max-age=60 for reverse proxies.
        fields.set(.cacheControl, "max-age=60")
        return fields
    }()
}

/// Answers ACME http-01 challenges on plain HTTP (RFC 8555 §8.3); everything else is 404, never a redirect.
package struct ChallengeResponder: HTTPResponder {
    package static let pathPrefix = "/.well-known/acme-challenge/"
    private let holder: EdgeSnapshotHolder

    package init(holder: EdgeSnapshotHolder) {
        self.holder = holder
    }

    package func respond(to request: HTTPRequest) -> HTTPResponse {
        let path = request.head.path
        guard path.hasPrefix(Self.pathPrefix), let host = EdgeResponses.host(of: request) else {
            return EdgeResponses.text(.notFound, "404 Not Found\n")
        }
        let token = String(path.dropFirst(Self.pathPrefix.count))
        guard let keyAuthorization = holder.current.entry(for: host)?.challenges[token] else {
            return EdgeResponses.text(.notFound, "404 Not Found\n")
        }
        guard request.head.method == .get || request.head.method == .head else {
            return EdgeResponses.methodNotAllowed
        }
        var fields = HTTPFields()
        fields.set(.contentType, "application/octet-stream")
        return HTTPResponse(status: .ok, fields: fields, body: Array(keyAuthorization.utf8))
    }
}

enum EdgeResponses {
    /// 405 with the methods the edge answers.
    static var methodNotAllowed: HTTPResponse {
        var response = text(.methodNotAllowed, "405 Method Not Allowed\n")
        response.fields.set(.allow, "GET, HEAD")
        return response
    }

    static func text(_ status: HTTPStatus, _ body: String) -> HTTPResponse {
        var fields = HTTPFields()
        fields.set(.contentType, "text/plain; charset=utf-8")
        return HTTPResponse(status: status, fields: fields, body: Array(body.utf8))
    }

    /// The request's host without port, lower-cased, without a trailing dot.
    static func host(of request: HTTPRequest) -> String? {
        guard var authority = request.head.authority.map(String.init) ?? request.head.fields[.host] else { return nil }
        if authority.utf8.first == UInt8(ascii: "[") {
            return nil
        }
        // Over the contiguous UTF-8: the view's backward search costs several times more, once per request.
        if let colon = authority.withUTF8({ $0.lastIndex(of: UInt8(ascii: ":")) }) {
            authority = String(decoding: authority.utf8.prefix(colon), as: UTF8.self)
        }
        let host = HostName.normalized(authority)
        return host.isEmpty ? nil : host
    }
}
