import API
import Database
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store
import Testing

/// One bad request and what the API must say about it.
struct BadRequest: CustomTestStringConvertible, Sendable {
    enum Credential: Sendable {
        case none
        case account
        case raw(String)
    }

    var label: String
    var method: HTTPMethod
    var target: String
    var body: String?
    var bytes: [UInt8]? = nil
    var contentType: String? = "application/json"
    var credential: Credential = .account
    var headers: HTTPFields = HTTPFields()
    var status: Int
    var field: String? = nil
    var rule: String? = nil

    var testDescription: String { label }
}

/// The malformed-input corpus: every entry gets a clean 4xx problem document, never a 500, never a write.
@Suite struct MalformedRequestTests {
    static let domain = "table.example.test"
    static let password = "correct horse battery"
    static let signUp = #"{"email":"new@example.com","password":"correct horse battery"}"#
    static let policy = "/v1/domains/table.example.test/policy"

    static func put(
        _ json: String,
        _ label: String,
        status: Int = 422,
        field: String? = nil,
        rule: String? = nil
    )
        -> BadRequest
    {
        BadRequest(label: label, method: .put, target: policy, body: json, status: status, field: field, rule: rule)
    }

    static func domain(_ name: String, _ label: String, rule: String) -> BadRequest {
        BadRequest(
            label: label,
            method: .post,
            target: "/v1/domains",
            body: #"{"name":"\#(name)"}"#,
            status: 422,
            field: "name",
            rule: rule
        )
    }

    static func account(
        _ json: String,
        _ label: String,
        status: Int = 422,
        field: String? = nil,
        rule: String? = nil
    )
        -> BadRequest
    {
        BadRequest(
            label: label,
            method: .post,
            target: "/v1/accounts",
            body: json,
            credential: .none,
            status: status,
            field: field,
            rule: rule
        )
    }

    static let cases: [BadRequest] = [
        // Bodies that are not JSON objects.
        account("", "empty body", status: 400, field: "body", rule: "json"),
        account("{", "truncated object", status: 400, field: "body", rule: "json"),
        account("[]", "array instead of object", status: 400, field: "body", rule: "json"),
        account(#""text""#, "string instead of object", status: 400, field: "body", rule: "json"),
        account(#"{"email":"a@example.com","password":"x"#, "unterminated string", status: 400, field: "body"),
        account(signUp + " x", "trailing garbage", status: 400, field: "body"),
        account(
            #"{"email":"a@example.com","email":"b@example.com","password":"correct horse battery"}"#,
            "duplicate key",
            status: 400,
            field: "body"
        ),
        account(#"{'email':'a@example.com'}"#, "single quotes", status: 400, field: "body"),
        account(#"{"email":"a@example.com","password":"correct horse battery",}"#, "trailing comma", status: 400),
        BadRequest(
            label: "invalid UTF-8",
            method: .post,
            target: "/v1/accounts",
            bytes: [0x7B, 0x22, 0xFF, 0x22, 0x7D],
            credential: .none,
            status: 400,
            field: "body"
        ),
        account(String(repeating: "[", count: 40) + String(repeating: "]", count: 40), "nested too deep", status: 400),
        // Content type.
        BadRequest(
            label: "text/plain body",
            method: .post,
            target: "/v1/accounts",
            body: signUp,
            contentType: "text/plain",
            credential: .none,
            status: 415,
            field: "Content-Type",
            rule: "media_type"
        ),
        BadRequest(
            label: "no content type",
            method: .post,
            target: "/v1/accounts",
            body: signUp,
            contentType: nil,
            credential: .none,
            status: 415,
            field: "Content-Type"
        ),
        BadRequest(
            label: "latin-1 charset",
            method: .post,
            target: "/v1/accounts",
            body: signUp,
            contentType: "application/json; charset=iso-8859-1",
            credential: .none,
            status: 415
        ),
        // Sign-up fields.
        account(
            #"{"email":"a@example.com","password":"short"}"#,
            "short password",
            field: "password",
            rule: "min_length"
        ),
        account(
            #"{"email":"not-an-email","password":"correct horse battery"}"#,
            "email without @",
            field: "email",
            rule: "email"
        ),
        account(
            #"{"email":"a@@example.com","password":"correct horse battery"}"#,
            "two @",
            field: "email",
            rule: "email"
        ),
        account(
            #"{"email":"a@localhost","password":"correct horse battery"}"#,
            "single-label email domain",
            field: "email",
            rule: "email"
        ),
        account(
            #"{"email":" a@example.com","password":"correct horse battery"}"#,
            "email with space",
            field: "email",
            rule: "email"
        ),
        account(
            #"{"email":"a..b@example.com","password":"correct horse battery"}"#,
            "email double dot",
            field: "email",
            rule: "email"
        ),
        account(#"{"email":"a@example.com"}"#, "missing password", field: "password", rule: "required"),
        account(#"{"password":"correct horse battery"}"#, "missing email", field: "email", rule: "required"),
        account(#"{"email":null,"password":"correct horse battery"}"#, "null email", field: "email", rule: "required"),
        account(#"{"email":123,"password":"correct horse battery"}"#, "number email", field: "email", rule: "type"),
        account(
            #"{"email":"a@example.com","password":["correct horse battery"]}"#,
            "array password",
            field: "password",
            rule: "type"
        ),
        account(
            #"{"email":"a@example.com","password":"correct horse battery","admin":true}"#,
            "unknown field",
            field: "admin",
            rule: "unknown_field"
        ),
        account(
            #"{"email":"\#(String(repeating: "a", count: 250))@example.com","password":"correct horse battery"}"#,
            "email too long",
            field: "email",
            rule: "max_length"
        ),
        // Sessions.
        BadRequest(
            label: "login without fields",
            method: .post,
            target: "/v1/sessions",
            body: "{}",
            credential: .none,
            status: 422,
            field: "email",
            rule: "required"
        ),
        BadRequest(
            label: "login wrong password",
            method: .post,
            target: "/v1/sessions",
            body: #"{"email":"owner@example.com","password":"not the password"}"#,
            credential: .none,
            status: 401
        ),
        // Authentication.
        BadRequest(label: "no credentials", method: .get, target: "/v1/account", credential: .none, status: 401),
        BadRequest(
            label: "basic auth",
            method: .get,
            target: "/v1/account",
            credential: .raw("Basic YTpi"),
            status: 401
        ),
        BadRequest(
            label: "short token",
            method: .get,
            target: "/v1/account",
            credential: .raw("Bearer mts_short"),
            status: 401
        ),
        BadRequest(
            label: "unknown token",
            method: .get,
            target: "/v1/account",
            credential: .raw("Bearer mts_" + String(repeating: "A", count: 43)),
            status: 401
        ),
        BadRequest(
            label: "token without prefix",
            method: .get,
            target: "/v1/domains",
            credential: .raw("Bearer abc"),
            status: 401
        ),
        BadRequest(
            label: "bearer without token",
            method: .get,
            target: "/v1/domains",
            credential: .raw("Bearer"),
            status: 401
        ),
        // Credentials.
        BadRequest(
            label: "password change without new password",
            method: .put,
            target: "/v1/account/password",
            body: #"{"current_password":"x"}"#,
            status: 422,
            field: "new_password",
            rule: "required"
        ),
        BadRequest(
            label: "password change with an unknown field",
            method: .put,
            target: "/v1/account/password",
            body: #"{"current_password":"x","new_password":"long enough password","admin":true}"#,
            status: 422,
            field: "admin"
        ),
        BadRequest(
            label: "password change revoke_tokens not boolean",
            method: .put,
            target: "/v1/account/password",
            body: #"{"current_password":"x","new_password":"long enough password","revoke_tokens":"yes"}"#,
            status: 422,
            field: "revoke_tokens",
            rule: "type"
        ),
        BadRequest(
            label: "account closure without password",
            method: .delete,
            target: "/v1/account",
            body: "{}",
            status: 422,
            field: "password",
            rule: "required"
        ),
        BadRequest(
            label: "sign-up with a malformed invitation while sign-up is open",
            method: .post,
            target: "/v1/accounts",
            body: #"{"email":"x@example.com","password":"long enough password","invitation":"x"}"#,
            credential: .none,
            status: 422,
            field: "invitation",
            rule: "format"
        ),
        // Tokens.
        BadRequest(
            label: "token without name",
            method: .post,
            target: "/v1/tokens",
            body: "{}",
            status: 422,
            field: "name",
            rule: "required"
        ),
        BadRequest(
            label: "token empty name",
            method: .post,
            target: "/v1/tokens",
            body: #"{"name":""}"#,
            status: 422,
            field: "name",
            rule: "required"
        ),
        BadRequest(
            label: "token name too long",
            method: .post,
            target: "/v1/tokens",
            body: #"{"name":"\#(String(repeating: "n", count: 101))"}"#,
            status: 422,
            field: "name",
            rule: "max_length"
        ),
        BadRequest(
            label: "token name control char",
            method: .post,
            target: "/v1/tokens",
            body: #"{"name":"a\u0007"}"#,
            status: 422,
            field: "name",
            rule: "characters"
        ),
        BadRequest(
            label: "expires_in too short",
            method: .post,
            target: "/v1/tokens",
            body: #"{"name":"x","expires_in":5}"#,
            status: 422,
            field: "expires_in",
            rule: "range"
        ),
        BadRequest(
            label: "expires_in as text",
            method: .post,
            target: "/v1/tokens",
            body: #"{"name":"x","expires_in":"1h"}"#,
            status: 422,
            field: "expires_in",
            rule: "type"
        ),
        BadRequest(
            label: "expires_in fractional",
            method: .post,
            target: "/v1/tokens",
            body: #"{"name":"x","expires_in":90.5}"#,
            status: 422,
            field: "expires_in",
            rule: "type"
        ),
        BadRequest(label: "delete token bad id", method: .delete, target: "/v1/tokens/not-a-uuid", status: 404),
        BadRequest(
            label: "delete unknown token",
            method: .delete,
            target: "/v1/tokens/\(UUID().uuidString)",
            status: 404
        ),
        // Domain names.
        domain("localhost", "single label", rule: "single_label"),
        domain("192.0.2.1", "IPv4 literal", rule: "ip_address"),
        domain("[2001:db8::1]", "IPv6 literal", rule: "ip_address"),
        domain("*.example.com", "wildcard", rule: "wildcard"),
        domain("exa_mple.com", "underscore", rule: "underscore"),
        domain("-bad.example.com", "leading hyphen", rule: "hyphens"),
        domain("ab--cd.example.com", "reserved hyphens", rule: "hyphens"),
        domain("xn--a.example.com", "invalid punycode", rule: "punycode"),
        domain("b\u{fc} cher.example", "IDN with space", rule: "characters"),
        domain("a..b.com", "empty label", rule: "empty_label"),
        domain(String(repeating: "a", count: 64) + ".com", "label too long", rule: "max_length"),
        domain("example.123", "numeric TLD", rule: "numeric_tld"),
        BadRequest(
            label: "domain name number",
            method: .post,
            target: "/v1/domains",
            body: #"{"name":42}"#,
            status: 422,
            field: "name",
            rule: "type"
        ),
        BadRequest(
            label: "domain unknown field",
            method: .post,
            target: "/v1/domains",
            body: #"{"name":"ok.example.com","owner":"x"}"#,
            status: 422,
            field: "owner",
            rule: "unknown_field"
        ),
        BadRequest(
            label: "domain name too long",
            method: .post,
            target: "/v1/domains",
            body: #"{"name":"\#(String(repeating: "abcdefghi.", count: 26))com"}"#,
            status: 422,
            field: "name",
            rule: "max_length"
        ),
        BadRequest(
            label: "limit zero",
            method: .get,
            target: "/v1/domains?limit=0",
            status: 422,
            field: "limit",
            rule: "range"
        ),
        BadRequest(
            label: "limit text",
            method: .get,
            target: "/v1/domains?limit=ten",
            status: 422,
            field: "limit",
            rule: "range"
        ),
        BadRequest(label: "broken query escape", method: .get, target: "/v1/domains?after=%ZZ", status: 400),
        BadRequest(
            label: "immediately=maybe",
            method: .delete,
            target: "/v1/domains/\(domain)?immediately=maybe",
            status: 422,
            field: "immediately",
            rule: "boolean"
        ),
        // Policies.
        put(
            #"{"mode":"strict","mx":["mx.table.example.test"],"max_age":86400}"#,
            "unknown mode",
            field: "mode",
            rule: "enum"
        ),
        put(
            #"{"mode":"ENFORCE","mx":["mx.table.example.test"],"max_age":86400}"#,
            "upper-case mode",
            field: "mode",
            rule: "enum"
        ),
        put(#"{"mx":["mx.table.example.test"],"max_age":86400}"#, "missing mode", field: "mode", rule: "required"),
        put(
            #"{"mode":"enforce","mx":["mx.table.example.test","MX.table.example.test"],"max_age":86400}"#,
            "duplicate mx",
            field: "mx",
            rule: "duplicate"
        ),
        put(
            #"{"mode":"enforce","mx":["mx.table.example.test"],"max_age":-1}"#,
            "negative max_age",
            field: "max_age",
            rule: "range"
        ),
        put(
            #"{"mode":"enforce","mx":["mx.table.example.test"],"max_age":31557601}"#,
            "max_age above a year",
            field: "max_age",
            rule: "range"
        ),
        put(
            #"{"mode":"enforce","mx":["mx.table.example.test"],"max_age":"86400"}"#,
            "max_age as text",
            field: "max_age",
            rule: "type"
        ),
        put(
            #"{"mode":"enforce","mx":["mx.table.example.test"]}"#,
            "missing max_age",
            field: "max_age",
            rule: "required"
        ),
        put(
            #"{"mode":"enforce","mx":"mx.table.example.test","max_age":86400}"#,
            "mx not an array",
            field: "mx",
            rule: "type"
        ),
        put(#"{"mode":"enforce","mx":[],"max_age":86400}"#, "enforce without mx", field: "mx", rule: "required"),
        put(#"{"mode":"testing","max_age":86400}"#, "testing without mx", field: "mx", rule: "required"),
        put(
            #"{"mode":"enforce","mx":["*.com"],"max_age":86400}"#,
            "wildcard over a TLD",
            field: "mx[0]",
            rule: "single_label"
        ),
        put(
            #"{"mode":"enforce","mx":["mx..table.example.test"],"max_age":86400}"#,
            "mx empty label",
            field: "mx[0]",
            rule: "empty_label"
        ),
        put(
            #"{"mode":"enforce","mx":["mx.*.example.test"],"max_age":86400}"#,
            "inner wildcard",
            field: "mx[0]",
            rule: "wildcard"
        ),
        put(#"{"mode":"enforce","mx":[1],"max_age":86400}"#, "mx number", field: "mx[0]", rule: "type"),
        put(#"{"mode":"enforce","mx":[""],"max_age":86400}"#, "mx empty string", field: "mx[0]", rule: "length"),
        put(
            #"{"mode":"enforce","mx":["mx.table.example.test"],"max_age":86400,"force":"yes"}"#,
            "force as text",
            field: "force",
            rule: "type"
        ),
        put(
            #"{"mode":"enforce","mx":["mx.table.example.test"],"max_age":86400,"id":"x"}"#,
            "client-chosen id",
            field: "id",
            rule: "unknown_field"
        ),
        put(
            #"{"mode":"enforce","mx":["other.example.net"],"max_age":86400}"#,
            "enforce misses live MX",
            field: "mx",
            rule: "covers_mx"
        ),
        BadRequest(
            label: "If-Match not an ETag",
            method: .put,
            target: policy,
            body: #"{"mode":"testing","mx":["mx.table.example.test"],"max_age":600}"#,
            headers: [.ifMatch: "20260101T000000"],
            status: 422,
            field: "If-Match",
            rule: "etag"
        ),
        BadRequest(
            label: "If-Match with a lower-case weak prefix",
            method: .put,
            target: policy,
            body: #"{"mode":"testing","mx":["mx.table.example.test"],"max_age":600}"#,
            headers: [.ifMatch: #"w/"20260101T000000""#],
            status: 422,
            field: "If-Match",
            rule: "etag"
        ),
        BadRequest(
            label: "If-Match with * in a list",
            method: .put,
            target: policy,
            body: #"{"mode":"testing","mx":["mx.table.example.test"],"max_age":600}"#,
            headers: [.ifMatch: #"*, "20260101T000000""#],
            status: 422,
            field: "If-Match",
            rule: "etag"
        ),
        BadRequest(
            label: "If-Match a list of stale ETags",
            method: .put,
            target: policy,
            body: #"{"mode":"testing","mx":["mx.table.example.test"],"max_age":600}"#,
            headers: [.ifMatch: #""20000101T000000", , W/"20000102T000000""#],
            status: 412
        ),
        BadRequest(
            label: "If-Match stale",
            method: .put,
            target: policy,
            body: #"{"mode":"testing","mx":["mx.table.example.test"],"max_age":600}"#,
            headers: [.ifMatch: "\"20000101T000000\""],
            status: 412
        ),
        // Routing.
        BadRequest(label: "PATCH domains", method: .patch, target: "/v1/domains", status: 405),
        BadRequest(label: "PATCH account", method: .patch, target: "/v1/account", status: 405),
        BadRequest(label: "PUT accounts", method: .put, target: "/v1/accounts", credential: .none, status: 405),
        BadRequest(label: "POST policy", method: .post, target: policy, body: "{}", status: 405),
        BadRequest(label: "unknown route", method: .get, target: "/v1/nothing", status: 404),
        BadRequest(label: "trailing slash", method: .get, target: "/v1/domains/", status: 404),
        BadRequest(label: "unversioned", method: .get, target: "/domains", status: 404),
        BadRequest(label: "path parameter not a domain", method: .get, target: "/v1/domains/not_a_domain", status: 404),
        BadRequest(label: "broken path escape", method: .get, target: "/v1/domains/%E0%A4", status: 404),
    ]

    @Test func everyBadRequestGetsACleanProblemAndWritesNothing() throws {
        #expect(Self.cases.count >= 50)
        let api = try APIHarness()
        let token = try api.signUp("owner@example.com", password: Self.password)
        #expect(api.send(.post, "/v1/domains", json: ["name": .string(Self.domain)], token: token).status == 201)
        let store = DataStore(pool: api.pool)
        let owner = try #require(try store.accounts.find(email: "owner@example.com"))
        let domain = try #require(try store.domains.find(accountID: owner.id, name: Self.domain))
        _ = try store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try Policy(
                mode: .testing,
                mx: [try MXPattern(parsing: "mx.table.example.test")],
                maxAge: 600
            ),
            at: api.clock.now
        )
        let tables = ["accounts", "api_tokens", "domains", "policies", "changes"]
        let before = try tables.map { try api.count($0) }

        for bad in Self.cases {
            var headers = bad.headers
            switch bad.credential {
            case .none: break
            case .account: headers.append(.authorization, "Bearer \(token)")
            case .raw(let value): headers.append(.authorization, value)
            }
            let response = api.send(
                bad.method,
                bad.target,
                body: bad.bytes ?? bad.body.map { Array($0.utf8) } ?? [],
                contentType: bad.contentType,
                headers: headers
            )
            let text = APIHarness.text(response)
            #expect(response.status == bad.status, "\(bad.label): \(response.status) \(text)")
            #expect((400..<500).contains(response.status), "\(bad.label)")
            #expect(response.isProblem, "\(bad.label): \(response.contentType ?? "-")")
            let problem = response.json
            #expect(problem?["status"] == .int(response.status), "\(bad.label)")
            #expect(
                problem?["type"]?.stringValue?.hasPrefix("https://api.platform.test/problems/") == true,
                "\(bad.label)"
            )
            #expect(problem?["title"]?.stringValue?.isEmpty == false, "\(bad.label)")
            #expect(problem?["detail"]?.stringValue?.isEmpty == false, "\(bad.label)")
            if let field = bad.field {
                #expect(
                    response.names(field: field, rule: bad.rule),
                    "\(bad.label) should name \(field)/\(bad.rule ?? "*"): \(text)"
                )
            }
            if response.status == 405 {
                #expect(response.fields[.allow]?.isEmpty == false, "\(bad.label): Allow")
            }
            if response.status == 401 && bad.target != "/v1/sessions" {
                #expect(response.fields[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(bad.label)")
            }
        }
        #expect(try tables.map { try api.count($0) } == before)
        #expect(api.send(.patch, "/v1/domains", token: token).fields[.allow] == "POST, GET")
    }

    @Test func unexpectedFailuresBecomeA500WithOnlyARequestID() throws {
        let api = try APIHarness()
        let token = try api.signUp("crash@example.com")
        api.pool.close()
        let response = api.send(.get, "/v1/account", token: token)
        #expect(response.status == 500)
        #expect(response.isProblem)
        let id = try #require(response.fields[HTTPField.Name("X-Request-ID")!])
        #expect(response.json?["request_id"] == .string(id))
        #expect(!APIHarness.text(response).lowercased().contains("pool"))
    }
}
