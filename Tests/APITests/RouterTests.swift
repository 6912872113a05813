import API
import HTTPCore
import JSON
import Testing

@Suite struct RouterTests {
    @Test func matchesTemplatesDecodesParametersAndListsAllowedMethods() throws {
        var router = Router()
        router.get("/v1/domains/{name}") { _, context in JSONResponse(.ok, ["name": .string(context.parameter("name"))])
        }
        router.delete("/v1/domains/{name}", audit: .exempt(reason: "test")) { _, _ in NoContent() }
        router.get("/v1/domains/{name}/policy") { _, _ in NoContent() }
        #expect(
            router.routes.map(\.template) == ["/v1/domains/{name}", "/v1/domains/{name}", "/v1/domains/{name}/policy"]
        )

        let api = try APIHarness()
        let encoded = api.send(.get, "/v1/domains/b%C3%BCcher.example.test")
        #expect(encoded.status == 401)  // matched a route; authentication comes first
        let unknown = api.send(.get, "/v1/domains/a/b/c")
        #expect(unknown.status == 404)
        let method = api.send(.post, "/v1/account")
        #expect(method.status == 405)
        #expect(method.fields[.allow] == "GET, DELETE")
    }

    @Test func unicodeDomainNamesInThePathFindTheALabelDomain() throws {
        let api = try APIHarness()
        let token = try api.signUp("idn@example.com")
        let added = api.send(.post, "/v1/domains", json: ["name": "bücher.example.test"], token: token)
        #expect(added.json?["name"] == "xn--bcher-kva.example.test")
        #expect(added.json?["unicode_name"] == "bücher.example.test")
        #expect(api.send(.get, "/v1/domains/b%C3%BCcher.example.test", token: token).status == 200)
        #expect(api.send(.get, "/v1/domains/xn--bcher-kva.example.test", token: token).status == 200)
    }
}
