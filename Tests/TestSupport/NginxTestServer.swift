import Crypto
import Foundation
import HTTPCore
import Synchronization
import SystemIO
import TLS
import WebClient

/// nginx (Debian package `nginx`) on a free loopback port, serving one TLS virtual host per ``NginxTestHost``: a
/// policy host that behaves as the test wants (a redirect, a wrong media type, an expired or wrong-name
/// certificate, TLS 1.0 only, ...).
///
/// nginx runs in the foreground as a single process (`daemon off; master_process off;`) and as the invoking user,
/// with its configuration, certificates, documents, pid file and temporary files in a ``TemporaryDirectory``;
/// it logs to stderr, which ``ManagedProcess`` keeps in that directory. Every host listens on ``port`` of its own
/// ``NginxTestHost/address``. Readiness is checked by fetching a random token over verified HTTPS from a built-in
/// default server on 127.0.0.1 (which also answers unknown SNI names, with a certificate naming no test host).
///
/// ```swift
/// let nginx = try NginxTestServer.start(hosts: [
///     NginxTestHost(serverName: "mta-sts.example.test", certificate: leaf,
///                   response: .redirect(status: 301, location: "https://elsewhere.test/"))
/// ])
/// defer { nginx.stop() }
/// ```
package final class NginxTestServer: Sendable {
    /// The port every host listens on (on its own address).
    package let port: UInt16
    /// Configuration, certificates, documents and logs.
    package let directory: TemporaryDirectory
    private let process: ManagedProcess
    private let isStopped = Mutex(false)

    /// The name of the built-in default server on 127.0.0.1.
    static let readinessServerName = "nginx-ready.test"

    private init(port: UInt16, directory: TemporaryDirectory, process: ManagedProcess) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Starts nginx and waits until it serves over HTTPS.
    /// - Parameters:
    ///   - hosts: the virtual hosts; hosts sharing an address must agree on TLS (on or off), versions and ciphers.
    ///   - startupTimeout: seconds to wait for the readiness token.
    /// - Throws: ``TestSupportError`` when nginx is missing (with the install command), the hosts conflict, or
    ///   nginx does not come up; the port is re-picked and the start retried twice first (another process may
    ///   take a free port before nginx binds it).
    package static func start(hosts: [NginxTestHost], startupTimeout: Double = 10) throws -> NginxTestServer {
        let executable = try Requirement.executable("nginx", installHint: "apt-get install -y nginx")
        try Configuration.validate(hosts)
        var failures: [String] = []
        for _ in 0..<3 {
            do {
                return try launch(executable: executable, hosts: hosts, startupTimeout: startupTimeout)
            } catch {
                failures.append("\(error)")
            }
        }
        throw TestSupportError("nginx did not start:\n" + failures.joined(separator: "\n---\n"))
    }

    private static func launch(
        executable: String,
        hosts: [NginxTestHost],
        startupTimeout: Double
    ) throws
        -> NginxTestServer
    {
        let directory = try TemporaryDirectory(prefix: "nginx-env")
        let port = try FreePort.allocate(udp: false, tcp: true)
        let now = Int64(Date().timeIntervalSince1970)
        let readinessAuthority = try CertificateBuilder.makeAuthority(
            commonName: "nginx readiness CA",
            now: now,
            lifetime: 86_400
        )
        let token = Hex.encode(try SecureRandom.bytes(count: 16))
        let readiness = NginxTestHost(
            serverName: readinessServerName,
            certificate: try CertificateBuilder.makeLeaf(
                dnsNames: [readinessServerName],
                issuer: readinessAuthority,
                now: now,
                lifetime: 86_400
            ),
            response: .file(path: "/.ready", body: token, contentType: "text/plain")
        )
        let configuration = Configuration(directory: directory.path, port: port, hosts: [readiness] + hosts)
        let configurationPath = try configuration.write()
        let caPath = try directory.write(readinessAuthority.certificate.pemRepresentation, to: "readiness-ca.pem")
        let process = try ManagedProcess.launch(
            name: "nginx",
            executable: executable,
            arguments: ["-p", directory.path, "-c", configurationPath, "-e", "stderr"],
            logDirectory: directory.path
        )
        let server = NginxTestServer(port: port, directory: directory, process: process)
        do {
            try server.waitUntilReady(token: token, caPath: caPath, timeout: startupTimeout)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// Polls the default server until it answers with `token` over HTTPS verified against `caPath`.
    private func waitUntilReady(token: String, caPath: String, timeout: Double) throws {
        var configuration = HTTPClientConfiguration(trustRoots: .file(caPath))
        configuration.connectTimeout = .seconds(1)
        configuration.requestTimeout = .seconds(2)
        configuration.resolver = HostResolver { _ in
            (try? SocketAddress(ipAddress: "127.0.0.1", port: 0)).map { [$0] } ?? []
        }
        let client = try HTTPClient(configuration: configuration)
        let request = try ClientRequest(url: "https://\(Self.readinessServerName):\(port)/.ready")
        do {
            try Poll.until(deadline: timeout, interval: .milliseconds(20), "nginx serving on 127.0.0.1:\(port)") {
                guard process.isRunning else {
                    throw TestSupportError("nginx exited: \(process.poll().map(\.description) ?? "?")")
                }
                let response = try client.send(request)
                return response.status == .ok && response.bodyText == token
            }
        } catch {
            throw TestSupportError("\(error)\nnginx log:\n\(process.logTail())")
        }
    }

    /// Whether nginx is still running.
    package var isRunning: Bool { process.isRunning }

    /// The last lines of nginx's log, for failure messages.
    package func logTail(lines: Int = 40) -> String {
        process.logTail(lines: lines)
    }

    /// Stops nginx and deletes the directory; later calls do nothing.
    package func stop() {
        let alreadyStopped = isStopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        process.terminate()
        directory.remove()
    }

    deinit {
        stop()
    }
}
