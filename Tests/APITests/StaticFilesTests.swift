import API
import Foundation
import HTTPCore
import TestSupport
import Testing

/// The web form's files: a whitelist read at start, served with types, validators and security headers.
@Suite struct StaticFilesTests {
    static let files = StaticFiles(contents: [
        "index.html": Array("<!doctype html><title>x</title>".utf8),
        "app.js": Array("'use strict';".utf8),
        "app.css": Array("body{}".utf8),
        "notes.md": Array("not served".utf8),
        ".hidden.js": Array("secret".utf8),
    ])

    private func get(_ target: String, method: HTTPMethod = .get, fields: HTTPFields = [:]) -> HTTPResponse? {
        Self.files.response(to: HTTPRequest(head: HTTPRequestHead(method: method, target: target, fields: fields)))
    }

    private func field(_ response: HTTPResponse?, _ name: String) throws -> String? {
        response?.fields[try #require(HTTPField.Name(name))]
    }

    @Test func rootIsTheIndexWithSecurityHeaders() throws {
        let response = try #require(get("/"))
        #expect(response.status == .ok)
        #expect(response.fields[.contentType] == "text/html; charset=utf-8")
        #expect(response.fields[.cacheControl] == "no-cache")
        #expect(
            try field(response, "Content-Security-Policy")
                == "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
        #expect(try field(response, "X-Content-Type-Options") == "nosniff")
        #expect(try field(response, "Referrer-Policy") == "no-referrer")
        #expect(String(decoding: response.body, as: UTF8.self) == "<!doctype html><title>x</title>")
        #expect(get("/index.html")?.body == response.body)
        #expect(get("/?from=mail")?.status == .ok)
    }

    @Test func scriptsAndStylesHaveTheirTypes() throws {
        #expect(get("/app.js")?.fields[.contentType] == "text/javascript; charset=utf-8")
        #expect(get("/app.css")?.fields[.contentType] == "text/css; charset=utf-8")
        #expect(try field(get("/app.js"), "X-Content-Type-Options") == "nosniff")
        #expect(try field(get("/app.js"), "Content-Security-Policy") == nil)
    }

    @Test func onlyWhitelistedNamesAreServed() {
        for path in [
            "/notes.md", "/.hidden.js", "/../app.js", "/%2e%2e/app.js", "/app.js/", "//app.js", "/APP.JS",
            "/v1/account", "/index.html/..", "/Public/app.js",
        ] {
            #expect(get(path) == nil, "\(path) must fall through to the API router")
        }
    }

    @Test func conditionalRequestsAndMethods() throws {
        let etag = try #require(get("/app.js")?.fields[.etag])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        let revalidated = try #require(get("/app.js", fields: [.ifNoneMatch: "\"other\", \(etag)"]))
        #expect(revalidated.status == .notModified)
        #expect(revalidated.body.isEmpty)
        #expect(get("/app.js", fields: [.ifNoneMatch: "\"other\""])?.status == .ok)
        #expect(get("/", method: .head)?.status == .ok)
        let post = try #require(get("/", method: .post))
        #expect(post.status == .methodNotAllowed)
        #expect(post.fields[.allow] == "GET, HEAD")
    }

    @Test func theResponderAnswersFilesBeforeTheRouter() throws {
        let api = try APIHarness()
        let responder = APIResponder(environment: api.responder.environment, staticFiles: Self.files)
        let page = responder.respond(to: HTTPRequest(head: HTTPRequestHead(method: .get, target: "/")))
        #expect(page.status == .ok)
        let missing = responder.respond(to: HTTPRequest(head: HTTPRequestHead(method: .get, target: "/notes.md")))
        #expect(missing.status == .notFound)
        #expect(missing.fields[.contentType] == "application/problem+json")
        let account = responder.respond(to: HTTPRequest(head: HTTPRequestHead(method: .get, target: "/v1/account")))
        #expect(account.status == .unauthorized)
    }

    @Test func loadingReadsOnlyPlainFilesOfKnownTypes() throws {
        let directory = try TemporaryDirectory(prefix: "public")
        try directory.write("<p>hi</p>", to: "index.html")
        try directory.write("x", to: "app.js")
        try directory.write("secret", to: ".env.js")
        try directory.write("#!/bin/sh", to: "deploy.sh")
        try FileManager.default.createDirectory(atPath: directory.path("nested.css"), withIntermediateDirectories: true)
        let files = try StaticFiles(directory: URL(fileURLWithPath: directory.path))
        #expect(files.files.keys.sorted() == ["/", "/app.js", "/index.html"])
    }

    @Test func theRepositoryFormIsServable() throws {
        let files = try StaticFiles(directory: RepositoryPaths.root.appendingPathComponent("Public"))
        for path in ["/", "/app.js", "/app.css", "/favicon.svg"] {
            #expect(files.files[path] != nil, "Public\(path) missing")
        }
        let html = String(decoding: try #require(files.files["/"]).body, as: UTF8.self)
        #expect(!html.contains("style="), "inline styles break the CSP")
        #expect(!html.contains("<script>"), "inline scripts break the CSP")
        // Example addresses in text and placeholders are fine; nothing may be loaded from elsewhere.
        let external = html.matches(of: /(?:src|href|action|srcset)\s*=\s*"(?:https?:)?\/\//).map { String($0.output) }
        #expect(external.isEmpty, "no external resources: \(external)")
        // Without script, a GET form would put the password into the URL (logs, history, Referer).
        let forms = html.matches(of: /<form[^>]*>/).map { String($0.output) }
        #expect(!forms.isEmpty)
        for form in forms { #expect(form.contains(#"method="post""#), "\(form)") }
        let script = String(decoding: try #require(files.files["/app.js"]).body, as: UTF8.self)
        #expect(!script.contains("innerHTML") && !script.contains("insertAdjacentHTML"), "API text as textContent only")
    }
}
