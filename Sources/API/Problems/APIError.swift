package import HTTPCore
package import JSON

/// A problem document (RFC 9457) that a handler throws to end a request with a 4xx/5xx response.
///
/// `name` becomes the last path segment of the `type` URI (documented in `docs/api.md`); `extra` members are
/// added to the document (for example what a DNS lookup found).
///
/// ```swift
/// throw APIError(.conflict, "email-taken", title: "Email address taken", detail: "…")
/// ```
package struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    package let status: HTTPStatus
    /// The problem type's short name, e.g. `validation-failed`.
    package let name: String
    package let title: String
    package let detail: String
    package var errors: [FieldError]
    package var extra: [JSONMember]
    package var headers: HTTPFields

    package init(
        _ status: HTTPStatus,
        _ name: String,
        title: String,
        detail: String,
        errors: [FieldError] = [],
        extra: [JSONMember] = [],
        headers: HTTPFields = HTTPFields()
    ) {
        self.status = status
        self.name = name
        self.title = title
        self.detail = detail
        self.errors = errors
        self.extra = extra
        self.headers = headers
    }

    package var description: String { "\(status.code) \(name): \(detail)" }

    /// The problem document.
    package func document(problemBase: String) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember(key: "type", value: .string(problemBase + name)),
            JSONMember(key: "title", value: .string(title)),
            JSONMember(key: "status", value: .int(status.code)),
            JSONMember(key: "detail", value: .string(detail)),
        ]
        if !errors.isEmpty { members.append(JSONMember(key: "errors", value: .array(errors.map(\.json)))) }
        members += extra
        return .object(members)
    }

    package func response(problemBase: String) -> HTTPResponse {
        var fields = headers
        fields.set(.contentType, "application/problem+json")
        fields.set(.cacheControl, "no-store")
        return HTTPResponse(status: status, fields: fields, body: document(problemBase: problemBase).serialized())
    }
}

// MARK: - Common problems

extension APIError {
    /// 422 with one entry per broken field rule.
    package static func validation(_ errors: [FieldError]) -> APIError {
        let fields = errors.map(\.field).joined(separator: ", ")
        return APIError(
            .unprocessableContent,
            "validation-failed",
            title: "Request validation failed",
            detail: "Invalid fields: \(fields).",
            errors: errors
        )
    }

    /// 422 for a single field.
    package static func invalid(_ field: String, rule: String, _ message: String) -> APIError {
        validation([FieldError(field: field, rule: rule, message: message)])
    }

    /// 400 for a body that is not a JSON object.
    package static func malformedBody(_ detail: String) -> APIError {
        APIError(
            .badRequest,
            "malformed-json",
            title: "Malformed JSON body",
            detail: detail,
            errors: [FieldError(field: "body", rule: "json", message: detail)]
        )
    }

    /// 404 for every resource that does not exist or is not the caller's.
    package static func notFound(_ what: String) -> APIError {
        APIError(.notFound, "not-found", title: "Not found", detail: "\(what) was not found.")
    }

    /// 401 with a `WWW-Authenticate` challenge (RFC 6750 §3).
    package static func unauthorized(_ detail: String) -> APIError {
        APIError(
            .unauthorized,
            "unauthorized",
            title: "Authentication required",
            detail: detail,
            headers: [.wwwAuthenticate: "Bearer realm=\"mtasts\""]
        )
    }
}

extension APIError {
    /// 403 for every request of an account the operator has suspended (`mtasts admin suspend`): logins with the
    /// right password, sessions and API tokens alike. Its domains keep being served; the operator's reason is
    /// not disclosed.
    package static let accountSuspended = APIError(
        .forbidden,
        "account-suspended",
        title: "Account suspended",
        detail: "The platform's operator has suspended this account; its domains are still served. Contact the "
            + "operator to have it reactivated."
    )
}
