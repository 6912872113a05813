import ACME
import Crypto
import Foundation
import Synchronization

/// A scripted ACME server behind the ``ACMETransport`` protocol: each expected request is one step, answered in
/// order, and every request is checked the way Pebble checks it.
///
/// Checks on every POST (RFC 8555 §6.2–6.5): `Content-Type: application/jose+json`, a flattened JWS whose
/// protected header has ES256, the request URL, exactly one of `jwk`/`kid`, a nonce this server issued and
/// nobody used, and a valid signature by the embedded key (newAccount) or the registered account key (`kid`).
/// Every response carries a fresh `Replay-Nonce`, like Pebble's.
final class ScriptedACMEServer: ACMETransport {
    /// A request as the handler sees it, with the JWS already verified.
    struct Received {
        var request: ACMEHTTPRequest
        var header: JWSProtectedHeader?
        var payload: [UInt8]?
        var jws: JWS?

        /// The payload as a JSON object.
        func json() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(payload ?? []))
            guard let dictionary = object as? [String: Any] else { throw ServerFailure("payload is not an object") }
            return dictionary
        }
    }

    struct Step {
        var method: ACMEHTTPMethod
        var url: String
        var handler: @Sendable (Received) throws -> ACMEHTTPResponse
    }

    struct ServerFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    fileprivate struct State {
        var steps: [Step] = []
        var requests: [Received] = []
        var issuedNonces: Set<String> = []
        var usedNonces: Set<String> = []
        var nonceCounter = 0
        var accountKeys: [String: JSONWebKey] = [:]
        var failures: [String] = []
        var lastIssuedNonce: String?
        var stash = ""
    }

    fileprivate let state = Mutex(State())
    /// URL prefix under which account URLs are recognised in `kid`.
    let base = "https://127.0.0.1:14000"

    /// Queues the next expected request.
    func expect(
        _ method: ACMEHTTPMethod,
        _ url: String,
        handler: @escaping @Sendable (Received) throws -> ACMEHTTPResponse
    ) {
        state.withLock { $0.steps.append(Step(method: method, url: url, handler: handler)) }
    }

    /// Registers the key behind an account URL (done automatically by ``registeredAccount(url:jwk:)``).
    func registerAccount(url: String, jwk: JSONWebKey) {
        state.withLock { $0.accountKeys[url] = jwk }
    }

    /// Protocol violations and unexpected requests seen so far (tests expect none).
    var failures: [String] { state.withLock { $0.failures } }
    /// Steps not consumed yet.
    var remainingSteps: Int { state.withLock { $0.steps.count } }
    /// Every request received, in order.
    var requests: [Received] { state.withLock { $0.requests } }
    /// The nonce put on the most recent response.
    var lastIssuedNonce: String? { state.withLock { $0.lastIssuedNonce } }

    func send(_ request: ACMEHTTPRequest) throws -> ACMEHTTPResponse {
        let (step, received) = try state.withLock { state -> (Step, Received) in
            guard !state.steps.isEmpty else {
                state.failures.append("unexpected \(request.method) \(request.url)")
                throw ServerFailure("no step left for \(request.method) \(request.url)")
            }
            let step = state.steps.removeFirst()
            guard step.method == request.method, step.url == request.url else {
                state.failures.append("expected \(step.method) \(step.url), got \(request.method) \(request.url)")
                throw ServerFailure("unexpected request \(request.method) \(request.url)")
            }
            if request.headers["User-Agent"] == nil {
                state.failures.append("no User-Agent on \(request.url)")
            }
            var received = Received(request: request)
            if request.method == .post {
                do {
                    received = try Self.verify(request, state: &state)
                } catch {
                    state.failures.append("\(request.url): \(error)")
                    throw error
                }
            }
            state.requests.append(received)
            return (step, received)
        }
        var response = try step.handler(received)
        state.withLock { state in
            state.nonceCounter += 1
            let nonce = "nonce-\(state.nonceCounter)"
            state.issuedNonces.insert(nonce)
            state.lastIssuedNonce = nonce
            if response.headers["Replay-Nonce"] == nil {
                response.headers.append("Replay-Nonce", nonce)
            } else if let explicit = response.headers["Replay-Nonce"] {
                state.issuedNonces.insert(explicit)
                state.lastIssuedNonce = explicit
            }
            if let location = response.headers["Location"], (200..<300).contains(response.status),
                case .jwk(let jwk)? = received.header?.key
            {
                state.accountKeys[location] = jwk
            }
        }
        return response
    }

    private static func verify(_ request: ACMEHTTPRequest, state: inout State) throws -> Received {
        guard request.headers["content-type"] == "application/jose+json" else {
            throw ServerFailure("Content-Type is \(request.headers["Content-Type"] ?? "missing")")
        }
        let object = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
        guard let object, Set(object.keys) == ["protected", "payload", "signature"] else {
            throw ServerFailure("body is not a flattened JWS with exactly protected/payload/signature")
        }
        let jws = try JWS(serialized: request.body)
        let header = try jws.decodedHeader()
        guard header.algorithm == .es256 else { throw ServerFailure("alg is \(header.algorithm.rawValue)") }
        guard header.url == request.url else { throw ServerFailure("header url \(header.url) != \(request.url)") }
        guard let nonce = header.nonce, state.issuedNonces.contains(nonce), !state.usedNonces.contains(nonce) else {
            throw ServerFailure("nonce \(header.nonce ?? "missing") was not issued or was reused")
        }
        state.usedNonces.insert(nonce)
        guard let payload = jws.decodedPayload else { throw ServerFailure("payload is not unpadded base64url") }
        let jwk: JSONWebKey
        switch header.key {
        case .jwk(let embedded): jwk = embedded
        case .accountURL(let url):
            guard let known = state.accountKeys[url] else { throw ServerFailure("unknown account \(url)") }
            jwk = known
        case .keyID(let id): throw ServerFailure("kid \(id) is not an account URL")
        }
        guard jws.isValidSignature(publicKey: try jwk.p256PublicKey()) else {
            throw ServerFailure("signature does not verify")
        }
        return Received(request: request, header: header, payload: payload, jws: jws)
    }
}

// MARK: - Response helpers

extension ACMEHTTPResponse {
    /// A JSON response.
    static func json(_ status: Int = 200, _ body: String, headers: [(String, String)] = []) -> ACMEHTTPResponse {
        var fields = ACMEHTTPHeaders()
        fields.append("Content-Type", "application/json")
        for (name, value) in headers { fields.append(name, value) }
        return ACMEHTTPResponse(status: status, headers: fields, body: Array(body.utf8))
    }

    /// A problem document (`application/problem+json`).
    static func problem(
        _ status: Int,
        type: String,
        detail: String,
        headers: [(String, String)] = []
    ) -> ACMEHTTPResponse {
        var fields = ACMEHTTPHeaders()
        fields.append("Content-Type", "application/problem+json")
        for (name, value) in headers { fields.append(name, value) }
        let body = #"{"type":"urn:ietf:params:acme:error:\#(type)","detail":"\#(detail)","status":\#(status)}"#
        return ACMEHTTPResponse(status: status, headers: fields, body: Array(body.utf8))
    }
}

// MARK: - Scratch value shared between steps

extension ScriptedACMEServer {
    /// Keeps a value (e.g. the issued chain) for a later step.
    func stash(_ value: String) {
        state.withLock { $0.stash = value }
    }

    /// The value kept by ``stash(_:)``.
    var stashed: String {
        state.withLock { $0.stash }
    }
}
