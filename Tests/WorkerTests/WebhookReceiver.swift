import Foundation
import HTTPCore
import Synchronization
import SystemIO
import WebServer

/// A webhook receiver on a loopback port: our own HTTP server, recording every request and answering with the
/// status the test sets.
final class WebhookReceiver: Sendable {
    private final class Recorder: HTTPResponder {
        let requests = Mutex<[HTTPRequest]>([])
        let status = Mutex<HTTPStatus>(.noContent)

        func respond(to request: HTTPRequest) -> HTTPResponse {
            requests.withLock { $0.append(request) }
            return HTTPResponse(status: status.withLock { $0 }, body: Array("ok".utf8))
        }
    }

    private let recorder = Recorder()
    private let group: EventLoopGroup
    private let server: HTTPServer
    /// The port it listens on (127.0.0.1).
    let port: UInt16

    init() throws {
        group = try EventLoopGroup(numberOfLoops: 1, name: "receiver")
        server = HTTPServer(
            configuration: HTTPServerConfiguration(address: try SocketAddress(parsing: "127.0.0.1:0")),
            group: group,
            responder: recorder
        )
        try server.start()
        port = server.localAddress?.port ?? 0
    }

    /// Every request received so far.
    var requests: [HTTPRequest] { recorder.requests.withLock { $0 } }

    /// The status every later request is answered with.
    func answer(_ status: HTTPStatus) {
        recorder.status.withLock { $0 = status }
    }

    func stop() {
        server.shutdown(gracePeriod: .seconds(1))
        try? group.shutdownGracefully()
    }
}

/// A clock the tests move by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func set(_ date: Date) {
        current.withLock { $0 = date }
    }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
