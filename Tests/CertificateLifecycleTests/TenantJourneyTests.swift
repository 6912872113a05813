import API
import Checks
import Crypto
import DNS
import Database
import Foundation
import HTTPCore
import JSON
import Logging
import Store
import TestSupport
import Testing

/// The tenant's whole path through the real API, with the worker, Pebble and the edge behind it.
@Suite(.serialized) struct TenantJourneyTests {
    private struct Client {
        let responder: APIResponder

        func send(
            _ method: HTTPMethod,
            _ target: String,
            json: JSONValue? = nil,
            token: String? = nil
        ) -> (Int, JSONValue?) {
            var fields = HTTPFields()
            fields.append(.host, "api.platform.test")
            if let token { fields.append(.authorization, "Bearer \(token)") }
            let body = json?.serialized() ?? []
            if !body.isEmpty { fields.append(.contentType, "application/json") }
            let head = HTTPRequestHead(
                method: method,
                target: target,
                fields: fields,
                framing: body.isEmpty ? .none : .contentLength(body.count)
            )
            let response = responder.respond(to: HTTPRequest(head: head, body: body, remoteAddress: "192.0.2.10"))
            return (response.status.code, try? JSONParser.parse(response.body))
        }
    }

    @Test func signUpVerifyCNAMEAndTheCertificateArrives() throws {
        let environment = try LifecycleEnvironment()
        defer { environment.stop() }
        try environment.dns.set(
            zone: "tenant.test",
            owner: "journey.tenant.test",
            type: .mx,
            value: "10 mx.journey.tenant.test."
        )
        environment.startWorkers()
        let client = Client(
            responder: APIResponder(
                environment: APIEnvironment(
                    store: DataStore(pool: environment.pool),
                    domainLimit: 5,
                    edgeHostname: LifecycleEnvironment.edgeHostname,
                    dnsClient: environment.dns.resolverClient(),
                    checks: try environment.checkService(),
                    passwordParameters: .fastForTesting,
                    publicBaseURL: "https://api.platform.test",
                    keyring: environment.keyring,
                    logger: Logger(label: "api", level: .critical)
                )
            )
        )

        let (signUpStatus, account) = client.send(
            .post,
            "/v1/accounts",
            json: ["email": "journey@tenant.test", "password": "correct horse battery"]
        )
        #expect(signUpStatus == 201)
        let token = try #require(account?["token"]?["value"]?.stringValue)

        let (addStatus, added) = client.send(.post, "/v1/domains", json: ["name": "journey.tenant.test"], token: token)
        #expect(addStatus == 201)
        let record = try #require(added?["verification"])
        let recordName = try #require(record["name"]?.stringValue)
        let recordValue = try #require(record["value"]?.stringValue)
        try environment.dns.set(zone: "tenant.test", owner: recordName, type: .txt, value: recordValue)
        try Poll.until(deadline: 20, "verified") {
            client.send(.post, "/v1/domains/journey.tenant.test/verify", token: token).0 == 200
        }

        // Before the CNAME exists the API says exactly what to add.
        try Poll.until(deadline: 20, "waiting for CNAME") {
            client.send(.get, "/v1/domains/journey.tenant.test/certificate", token: token).1?["status"]?.stringValue
                == "waiting_for_cname"
        }
        // The setup checklist says the same, first thing first.
        let (_, waiting) = client.send(.get, "/v1/domains/journey.tenant.test", token: token)
        #expect(waiting?["setup"]?["state"] == "action_needed")
        #expect(waiting?["setup"]?["next_step"] == "Add the CNAME mta-sts.journey.tenant.test → edge.platform.test")
        let steps = { (domain: JSONValue?) -> [String: String] in
            Dictionary(
                uniqueKeysWithValues: (domain?["setup"]?["steps"]?.arrayValue ?? []).compactMap { step in
                    step["step"]?.stringValue.flatMap { name in step["status"]?.stringValue.map { (name, $0) } }
                }
            )
        }
        #expect(steps(waiting)["ownership"] == "done" && steps(waiting)["policy_host"] == "action_needed")
        try environment.dns.set(
            zone: "tenant.test",
            owner: "mta-sts.journey.tenant.test",
            type: .cname,
            value: "edge.platform.test."
        )
        var certificate: JSONValue?
        try Poll.until(deadline: 60, "certificate issued") {
            certificate = client.send(.get, "/v1/domains/journey.tenant.test/certificate", token: token).1
            return certificate?["status"]?.stringValue == "issued"
        }
        #expect(certificate?["issuer"]?.stringValue?.contains("Pebble") == true)
        #expect(certificate?["not_after"]?.stringValue != nil)
        #expect(certificate?["renew_after"]?.stringValue != nil)

        // A sender trusting Pebble's root fetches exactly the policy the API reports.
        let (_, policy) = client.send(.get, "/v1/domains/journey.tenant.test/policy", token: token)
        let text = try #require(policy?["text"]?.stringValue)
        #expect(text.contains("mx: mx.journey.tenant.test"))
        try Poll.until(deadline: 10, "edge serves the policy") {
            try environment.fetchPolicy("journey.tenant.test") == text
        }

        // Only the `_mta-sts` record is missing now; once it is published the domain is live. Looking at the
        // DNS records asks the worker to check again at once.
        let id = try #require(policy?["id"]?.stringValue)
        try Poll.until(deadline: 20, "only the _mta-sts record missing") {
            _ = client.send(.get, "/v1/domains/journey.tenant.test/dns-records", token: token)
            let current = steps(client.send(.get, "/v1/domains/journey.tenant.test", token: token).1)
            return current["sts_record"] == "action_needed" && current["certificate"] == "done"
                && current["policy_reachable"] == "done"
        }
        try environment.dns.set(
            zone: "tenant.test",
            owner: "_mta-sts.journey.tenant.test",
            type: .txt,
            value: "v=STSv1; id=\(id)"
        )
        var live: JSONValue?
        try Poll.until(deadline: 20, "live") {
            _ = client.send(.get, "/v1/domains/journey.tenant.test/dns-records", token: token)
            live = client.send(.get, "/v1/domains/journey.tenant.test", token: token).1
            return live?["setup"]?["state"] == "live_testing"
        }
        #expect(live?["setup"]?["actions_needed"] == 0)
        #expect(steps(live)["tlsrpt"] == "optional")
        let (_, list) = client.send(.get, "/v1/domains", token: token)
        #expect(list?["domains"]?[0]?["setup"]?["state"] == "live_testing")
    }
}
