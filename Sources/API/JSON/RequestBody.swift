import Foundation
import HTTPCore

/// Checks on request bodies shared by every route that takes JSON.
enum RequestBody {
    /// Refuses a missing body (400) and one not declared `application/json` (415); `charset=utf-8` is the only
    /// parameter allowed.
    static func requireJSON(_ request: HTTPRequest) throws(APIError) {
        guard !request.body.isEmpty else { throw APIError.malformedBody("The request needs a JSON object body.") }
        let value = request.head.fields[.contentType] ?? ""
        let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let mediaType = parts.first ?? ""
        let parameters = parts.dropFirst().map { $0.replacingOccurrences(of: "\"", with: "") }
        guard mediaType == "application/json", parameters.allSatisfy({ $0 == "charset=utf-8" }) else {
            throw APIError(
                .unsupportedMediaType,
                "unsupported-media-type",
                title: "Unsupported media type",
                detail: "Send the body as Content-Type: application/json.",
                errors: [FieldError(field: "Content-Type", rule: "media_type", message: "Expected application/json.")]
            )
        }
    }
}
