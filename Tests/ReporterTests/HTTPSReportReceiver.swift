import Foundation
import TestSupport

/// `Scripts/https_receiver.py` (Python's http.server with TLS, from the repository's `.venv`) on a loopback port: it
/// answers every POST with one status (200 unless told otherwise) and keeps what it was sent.
///
/// ```swift
/// let receiver = try HTTPSReportReceiver(certificatePath: cert, keyPath: key, directory: dir)
/// defer { receiver.stop() }
/// let body = try receiver.posts().first?.body
/// ```
final class HTTPSReportReceiver: Sendable {
    /// One POST as received.
    struct Post: Sendable {
        let path: String
        let contentType: String?
        let body: [UInt8]
    }

    private struct Meta: Decodable {
        let path: String
        let content_type: String?
    }

    /// The loopback port it listens on.
    let port: UInt16
    private let process: ManagedProcess
    private let recordDirectory: String

    /// Starts the receiver and waits (up to 20 s) until it listens.
    /// - Parameter status: the HTTP status every POST is answered with.
    /// - Throws: ``TestSupportError`` when the virtualenv is missing or the receiver does not start.
    init(certificatePath: String, keyPath: String, directory: TemporaryDirectory, status: Int = 200) throws {
        let root = SMTPFixtureServer.packageRoot
        let python = root + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("\(python) is missing; create the virtualenv with: make deps")
        }
        recordDirectory = directory.path("received")
        try FileManager.default.createDirectory(atPath: recordDirectory, withIntermediateDirectories: true)
        let readyFile = directory.path("receiver.port")
        let process = try ManagedProcess.launch(
            name: "https-receiver",
            executable: python,
            arguments: [
                root + "/Tests/ReporterTests/Scripts/https_receiver.py", certificatePath, keyPath, recordDirectory,
                readyFile, String(getpid()), String(status),
            ],
            logDirectory: directory.path
        )
        var port: UInt16?
        do {
            try Poll.until(deadline: 20, interval: .milliseconds(20), "HTTPS receiver listening") {
                guard process.isRunning else { throw TestSupportError("https_receiver.py exited") }
                port = (try? String(contentsOfFile: readyFile, encoding: .utf8)).flatMap { UInt16($0) }
                return port != nil
            }
        } catch {
            process.terminate()
            throw TestSupportError("\(error)\n--- https_receiver.py ---\n\(process.logTail())")
        }
        self.process = process
        self.port = port ?? 0
    }

    /// The POSTs received so far, in order.
    func posts() throws -> [Post] {
        let names = try FileManager.default.contentsOfDirectory(atPath: recordDirectory)
        let numbers = names.compactMap { $0.hasSuffix(".json") ? Int($0.dropLast(5)) : nil }.sorted()
        return try numbers.map { number in
            let base = recordDirectory + "/\(number)"
            let meta = try JSONDecoder().decode(Meta.self, from: Data(contentsOf: URL(fileURLWithPath: base + ".json")))
            let body = try Data(contentsOf: URL(fileURLWithPath: base + ".body"))
            return Post(path: meta.path, contentType: meta.content_type, body: Array(body))
        }
    }

    /// The receiver's log, for failure messages.
    var log: String { process.logTail() }

    /// Terminates the receiver; safe to call twice.
    func stop() {
        process.terminate()
    }

    deinit {
        process.terminate()
    }
}
