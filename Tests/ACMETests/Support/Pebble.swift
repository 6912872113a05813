import ACME
import Crypto
import Foundation

/// URLs and JSON bodies shaped like Pebble 2.4.0's (RFC-NOTES §5.3), for scripted exchanges.
enum Pebble {
    static let base = "https://127.0.0.1:14000"
    static let directoryURL = base + "/dir"
    static let newNonceURL = base + "/nonce-plz"
    static let newAccountURL = base + "/sign-me-up"
    static let newOrderURL = base + "/order-plz"
    static let accountURL = base + "/my-account/3b4f2b1c9a"
    static let orderURL = base + "/my-order/Wk5kNqz1"
    static let authorizationURL = base + "/authZ/rO6bTQhb"
    static let challengeURL = base + "/chalZ/q3FzvCqE"
    static let finalizeURL = base + "/finalize-order/Wk5kNqz1"
    static let certificateURL = base + "/certZ/4c6f2e1d"
    static let domain = "mta-sts.example.com"
    static let token = "Rh0s5ZbNq7YvGW8lwxN1O4ZtHqM2nYcH3b1tVq2kD9E"

    static func directory(renewalInfo: Bool = false, externalAccountRequired: Bool = false) -> String {
        """
        {"keyChange":"\(base)/rollover-account-key","meta":{"externalAccountRequired":\(externalAccountRequired),\
        "termsOfService":"data:text/plain,Do%20what%20thou%20wilt"},"newAccount":"\(newAccountURL)",\
        "newNonce":"\(newNonceURL)","newOrder":"\(newOrderURL)","revokeCert":"\(base)/revoke-cert"\
        \(renewalInfo ? #","renewalInfo":"\#(base)/draft-ietf-acme-ari-03/renewalInfo""# : "")}
        """
    }

    static func account() -> String {
        #"{"status":"valid","contact":["mailto:hostmaster@example.com"],"orders":"\#(base)/list-orderz/1"}"#
    }

    static func order(status: String, certificate: Bool = false, error: String? = nil) -> String {
        var fields = [
            #""status":"\#(status)""#, #""expires":"2026-11-26T10:00:00Z""#,
            #""identifiers":[{"type":"dns","value":"\#(domain)"}]"#, #""finalize":"\#(finalizeURL)""#,
            #""authorizations":["\#(authorizationURL)"]"#,
        ]
        if certificate { fields.append(#""certificate":"\#(certificateURL)""#) }
        if let error { fields.append(#""error":\#(error)"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func challenge(status: String, error: String? = nil) -> String {
        let errorField = error.map { #","error":\#($0)"# } ?? ""
        return #"{"type":"http-01","url":"\#(challengeURL)","token":"\#(token)","status":"\#(status)"\#(errorField)}"#
    }

    static func authorization(status: String, challengeStatus: String, error: String? = nil) -> String {
        """
        {"status":"\(status)","identifier":{"type":"dns","value":"\(domain)"},"expires":"2026-11-26T10:00:00Z",\
        "challenges":[{"type":"dns-01","url":"\(base)/chalZ/dns","token":"dnsToken","status":"pending"},\
        \(challenge(status: challengeStatus, error: error)),\
        {"type":"tls-alpn-01","url":"\(base)/chalZ/alpn","token":"alpnToken","status":"pending"}]}
        """
    }

    /// Queues directory, newNonce and a 201 newAccount.
    static func scriptAccount(on server: ScriptedACMEServer, directory: String = Pebble.directory()) {
        server.expect(.get, directoryURL) { _ in .json(200, directory) }
        server.expect(.head, newNonceURL) { _ in ACMEHTTPResponse(status: 200) }
        server.expect(.post, newAccountURL) { _ in
            .json(201, account(), headers: [("Location", accountURL)])
        }
    }

    /// A client for `server` with a fresh account key and a virtual clock.
    static func makeClient(
        server: ScriptedACMEServer,
        clock: TestClock,
        externalAccountBinding: ExternalAccountBinding? = nil,
        polling: ACMEPollingPolicy = ACMEPollingPolicy()
    ) throws -> ACMEClient {
        let configuration = ACMEClientConfiguration(
            directoryURL: directoryURL,
            contactEmails: ["hostmaster@example.com"],
            externalAccountBinding: externalAccountBinding,
            polling: polling
        )
        return ACMEClient(
            configuration: configuration,
            accountKey: try P256PrivateKey.generate(),
            transport: server,
            clock: clock
        )
    }
}
