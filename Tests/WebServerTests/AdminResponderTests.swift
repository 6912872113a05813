import HTTPCore
import Synchronization
import Testing
import WebServer

/// The admin listener every role has: liveness, readiness with reasons, metrics.
@Suite struct AdminResponderTests {
    private func send(_ responder: AdminResponder, _ target: String, _ method: HTTPMethod = .get) -> HTTPResponse {
        let head = HTTPRequestHead(method: method, target: target, fields: HTTPFields(), framing: .none)
        return responder.respond(to: HTTPRequest(head: head, body: [], remoteAddress: "127.0.0.1"))
    }

    @Test func healthReadinessAndMetricsAreAnsweredAndEverythingElseIsNot() {
        let problems = Mutex<[String]>([])
        let responder = AdminResponder(
            readiness: { problems.withLock { $0 } },
            metrics: { "# TYPE up gauge\nup 1\n" }
        )
        let health = send(responder, "/healthz")
        #expect(health.status == .ok)
        #expect(String(decoding: health.body, as: UTF8.self) == "ok\n")
        #expect(send(responder, "/readyz").status == .ok)

        problems.withLock { $0 = ["the database is unreachable: refused", "second reason"] }
        let unready = send(responder, "/readyz")
        #expect(unready.status == .serviceUnavailable)
        #expect(
            String(decoding: unready.body, as: UTF8.self)
                == "not ready\n- the database is unreachable: refused\n- second reason\n"
        )
        #expect(send(responder, "/healthz").status == .ok, "liveness does not depend on readiness")

        let metrics = send(responder, "/metrics")
        #expect(metrics.status == .ok)
        #expect(metrics.fields[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(String(decoding: metrics.body, as: UTF8.self) == "# TYPE up gauge\nup 1\n")
        #expect(send(responder, "/healthz", .head).status == .ok)

        #expect(send(responder, "/").status == .notFound)
        #expect(send(responder, "/metrics/extra").status == .notFound)
        let post = send(responder, "/readyz", .post)
        #expect(post.status == .methodNotAllowed)
        #expect(post.fields[.allow] == "GET, HEAD")
    }
}
