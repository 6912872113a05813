package import ACME
import HTTPCore
package import WebClient

/// Sends ACME requests with the platform's own HTTPS client (CA verified against the configured bundle).
package struct HTTPSACMETransport: ACMETransport {
    private let client: HTTPClient

    package init(client: HTTPClient) {
        self.client = client
    }

    package func send(_ request: ACMEHTTPRequest) throws -> ACMEHTTPResponse {
        var fields = HTTPFields()
        for field in request.headers {
            guard let name = HTTPField.Name(field.name) else { continue }
            fields.append(name, field.value)
        }
        let method: HTTPMethod =
            switch request.method {
            case .head: .head
            case .post: .post
            default: .get
            }
        let response = try client.send(
            try ClientRequest(method: method, url: request.url, headers: fields, body: request.body)
        )
        var headers = ACMEHTTPHeaders()
        for field in response.headers { headers.append(field.name.rawName, field.value) }
        return ACMEHTTPResponse(status: response.status.code, headers: headers, body: response.body)
    }
}
