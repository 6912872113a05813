package import DNS
import Foundation
import HTTPCore
import Synchronization
import TLS
package import WebClient

/// Pebble, the ACME test CA (Debian package `pebble` 2.4.0), on free loopback ports (RFC-NOTES §5.4).
///
/// The WFE's TLS certificate (for `localhost` and `127.0.0.1`) is made with `Crypto.CertificateBuilder` in a
/// temporary directory; trust ``caBundlePath`` for the ACME endpoints. Pebble makes a new CA on every start:
/// trust ``rootCertificatePEM()`` for the certificates it issues. http-01 validation connects to
/// ``httpPort`` (the edge's plain-HTTP listener in tests) on whatever the identifier resolves to, through
/// ``dnsResolver`` when given (the ``DNSTestEnvironment``'s Unbound), else the system resolver.
///
/// ```swift
/// let dns = try DNSTestEnvironment.start(zones: ["example.test"], records: [...])
/// let pebble = try PebbleTestEnvironment.start(httpPort: edgePort, dnsResolver: dns.resolverAddress)
/// defer { pebble.stop() }
/// let client = try pebble.makeHTTPClient()
/// let directory = try client.send(try ClientRequest(url: pebble.directoryURL))
/// ```
package final class PebbleTestEnvironment: Sendable {
    /// The ACME directory, `https://127.0.0.1:<port>/dir`.
    package let directoryURL: String
    /// The management API's origin, `https://127.0.0.1:<port>`.
    package let managementURL: String
    /// PEM file of the CA that signed the WFE and management certificates: trust it for ACME requests.
    package let caBundlePath: String
    /// The port Pebble's http-01 validator connects to.
    package let httpPort: UInt16
    /// The port Pebble's tls-alpn-01 validator connects to (free, unused by the platform).
    package let tlsPort: UInt16
    /// The resolver Pebble uses for challenge targets, if one was given.
    package let dnsResolver: DNSServerAddress?
    /// Configuration, certificates and logs.
    package let directory: TemporaryDirectory
    private let process: ManagedProcess
    private let isStopped = Mutex(false)

    private init(
        directoryURL: String,
        managementURL: String,
        caBundlePath: String,
        httpPort: UInt16,
        tlsPort: UInt16,
        dnsResolver: DNSServerAddress?,
        directory: TemporaryDirectory,
        process: ManagedProcess
    ) {
        self.directoryURL = directoryURL
        self.managementURL = managementURL
        self.caBundlePath = caBundlePath
        self.httpPort = httpPort
        self.tlsPort = tlsPort
        self.dnsResolver = dnsResolver
        self.directory = directory
        self.process = process
    }

    /// Starts Pebble and waits until its directory answers over verified HTTPS.
    /// - Parameters:
    ///   - httpPort: Where http-01 validation connects (the caller's plain-HTTP listener).
    ///   - certificateValidityPeriod: Lifetime of issued certificates, in seconds (default 7 days).
    ///   - nonceRejectPercent: `PEBBLE_WFE_NONCEREJECT`; `nil` keeps Pebble's default (5 % of good nonces
    ///     rejected as badNonce, which exercises the client's retry).
    ///   - dnsResolver: Passed as `-dnsserver`; give Unbound, not Knot (TEST-ENV.md).
    ///   - environment: More variables, e.g. `["PEBBLE_VA_ALWAYS_VALID": "1"]`.
    ///   - startupTimeout: Seconds to wait for the directory to answer.
    /// - Throws: ``TestSupportError`` when `pebble` is missing (with the install command) or does not come up;
    ///   ports are re-picked and the start retried twice first.
    package static func start(
        httpPort: UInt16,
        certificateValidityPeriod: Int = 7 * 86_400,
        nonceRejectPercent: Int? = nil,
        dnsResolver: DNSServerAddress? = nil,
        blockedDomains: [String] = [],
        environment: [String: String] = [:],
        startupTimeout: Double = 20
    ) throws -> PebbleTestEnvironment {
        let executable = try Requirement.executable("pebble", installHint: "apt-get install -y pebble")
        var variables = ProcessInfo.processInfo.environment
        // Skip the random 0-15 s sleep before each validation.
        variables["PEBBLE_VA_NOSLEEP"] = "1"
        if let nonceRejectPercent {
            variables["PEBBLE_WFE_NONCEREJECT"] = String(nonceRejectPercent)
        }
        variables.merge(environment) { _, new in new }
        var failures: [String] = []
        for _ in 0..<3 {
            do {
                return try launch(
                    executable: executable,
                    httpPort: httpPort,
                    certificateValidityPeriod: certificateValidityPeriod,
                    dnsResolver: dnsResolver,
                    blockedDomains: blockedDomains,
                    environment: variables,
                    startupTimeout: startupTimeout
                )
            } catch {
                failures.append("\(error)")
            }
        }
        throw TestSupportError("Pebble did not start:\n" + failures.joined(separator: "\n---\n"))
    }

    private static func launch(
        executable: String,
        httpPort: UInt16,
        certificateValidityPeriod: Int,
        dnsResolver: DNSServerAddress?,
        blockedDomains: [String],
        environment: [String: String],
        startupTimeout: Double
    ) throws -> PebbleTestEnvironment {
        let directory = try TemporaryDirectory(prefix: "pebble-env")
        let ports = try distinctFreePorts(3, excluding: httpPort)
        let files = try PebbleFiles.write(into: directory)
        let configuration = try PebbleFiles.configuration(
            listenPort: ports[0],
            managementPort: ports[1],
            httpPort: httpPort,
            tlsPort: ports[2],
            certificatePath: files.certificatePath,
            privateKeyPath: files.privateKeyPath,
            certificateValidityPeriod: certificateValidityPeriod,
            blockedDomains: blockedDomains
        )
        let configurationPath = try directory.write(configuration, to: "pebble-config.json")
        var arguments = ["-config", configurationPath]
        if let dnsResolver {
            arguments += ["-dnsserver", dnsResolver.description]
        }
        let process = try ManagedProcess.launch(
            name: "pebble",
            executable: executable,
            arguments: arguments,
            environment: environment,
            logDirectory: directory.path
        )
        let environment = PebbleTestEnvironment(
            directoryURL: "https://127.0.0.1:\(ports[0])/dir",
            managementURL: "https://127.0.0.1:\(ports[1])",
            caBundlePath: files.caBundlePath,
            httpPort: httpPort,
            tlsPort: ports[2],
            dnsResolver: dnsResolver,
            directory: directory,
            process: process
        )
        do {
            try environment.waitUntilReady(timeout: startupTimeout)
        } catch {
            environment.stop()
            throw error
        }
        return environment
    }

    /// `count` different free TCP ports, none equal to `excluded`.
    private static func distinctFreePorts(_ count: Int, excluding excluded: UInt16) throws -> [UInt16] {
        var ports: [UInt16] = []
        while ports.count < count {
            let port = try FreePort.allocate(udp: false, tcp: true)
            if port != excluded, !ports.contains(port) {
                ports.append(port)
            }
        }
        return ports
    }

    /// Polls the directory until it answers 200 over verified HTTPS.
    private func waitUntilReady(timeout: Double) throws {
        let client = try makeHTTPClient(requestTimeout: .seconds(2))
        let request = try ClientRequest(url: directoryURL)
        do {
            try Poll.until(deadline: timeout, interval: .milliseconds(50), "pebble directory at \(directoryURL)") {
                guard process.isRunning else {
                    throw TestSupportError("pebble exited: \(process.poll().map(\.description) ?? "?")")
                }
                return try client.send(request).status == .ok
            }
        } catch {
            throw TestSupportError("\(error)\npebble log:\n\(process.logTail())")
        }
    }

    /// A client that trusts ``caBundlePath`` (for the ACME and management endpoints).
    package func makeHTTPClient(requestTimeout: Duration = .seconds(10)) throws -> HTTPClient {
        var configuration = HTTPClientConfiguration(trustRoots: .file(caBundlePath))
        configuration.requestTimeout = requestTimeout
        configuration.connectTimeout = requestTimeout
        configuration.userAgent = "mtasts-tests"
        return try HTTPClient(configuration: configuration)
    }

    /// The PEM of the root that signs this run's issued certificates (`/roots/0` on the management port).
    /// - Throws: ``HTTPClientError`` or ``TestSupportError`` when it cannot be fetched.
    package func rootCertificatePEM() throws -> String {
        let response = try makeHTTPClient().send(try ClientRequest(url: managementURL + "/roots/0"))
        guard response.status == .ok, response.bodyText.contains("-----BEGIN CERTIFICATE-----") else {
            throw TestSupportError("pebble /roots/0 answered \(response.status) without a certificate")
        }
        return response.bodyText
    }

    /// Whether Pebble is still running.
    package var isRunning: Bool { process.isRunning }

    /// The last lines of Pebble's output, for failure messages.
    package func logTail(lines: Int = 40) -> String {
        process.logTail(lines: lines)
    }

    /// Stops Pebble and deletes the directory; later calls do nothing.
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
