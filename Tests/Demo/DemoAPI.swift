import HTTPCore
import JSON
import TestSupport
import WebClient

/// The platform's JSON API, as a tenant's script calls it.
struct DemoAPI {
    let baseURL: String
    var token: String?

    /// Sends one request; returns the status code and the parsed body (nil when empty or not JSON).
    func send(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil) throws -> (Int, JSONValue?) {
        var headers = HTTPFields()
        if let token { headers.append(.authorization, "Bearer \(token)") }
        let body = json?.serialized() ?? []
        if !body.isEmpty { headers.append(.contentType, "application/json") }
        let response = try HTTPClient().send(
            try ClientRequest(method: method, url: baseURL + path, headers: headers, body: body)
        )
        return (response.status.code, try? JSONParser.parse(response.body))
    }

    /// Sends one request that must answer `expected`.
    /// - Throws: ``TestSupportError`` with the answer otherwise.
    func expect(_ expected: Int, _ method: HTTPMethod, _ path: String, json: JSONValue? = nil) throws -> JSONValue {
        let (status, body) = try send(method, path, json: json)
        guard status == expected, let body else {
            throw TestSupportError("\(method) \(path) answered \(status): \(body?.text ?? "(no JSON)")")
        }
        return body
    }
}
