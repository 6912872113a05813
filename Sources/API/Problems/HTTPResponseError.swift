package import HTTPCore

/// An error that knows the HTTP response it becomes; the responder maps every other error to a 500.
package protocol HTTPResponseError: Error {
    /// The response status.
    var status: HTTPStatus { get }
    /// The full response (problem document, headers).
    /// - Parameter problemBase: the prefix of `type` URIs, e.g. `https://api.example.net/problems/`.
    func response(problemBase: String) -> HTTPResponse
}
