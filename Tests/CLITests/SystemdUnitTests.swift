import Foundation
import TestSupport
import Testing

/// The systemd units in `deploy/systemd/`: what `systemd-analyze verify` says about them, their hardening, and
/// capabilities exactly where the shipped configuration binds a port below 1024.
@Suite struct SystemdUnitTests {
    private static let unitDirectory = RepositoryPaths.root.appendingPathComponent("deploy/systemd")
    private static let environmentExample = RepositoryPaths.root.appendingPathComponent("deploy/mtasts.env.example")

    /// The `MTASTS_*_LISTEN` variables each role binds (its admin listeners are always unprivileged ports).
    private static let listenVariables: [String: [String]] = [
        "api": ["MTASTS_API_LISTEN"],
        "edge": ["MTASTS_EDGE_HTTPS_LISTEN", "MTASTS_EDGE_HTTP_LISTEN"],
        "dns": ["MTASTS_DNS_LISTEN"],
        "reports": ["MTASTS_REPORTS_SMTP_LISTEN"],
        "worker": [],
        "migrate": [],
    ]

    /// Settings every service unit must carry, exactly.
    private static let hardening: [String: String] = [
        "User": "mtasts", "Group": "mtasts", "NoNewPrivileges": "yes", "ProtectSystem": "strict",
        "ProtectHome": "yes", "PrivateTmp": "yes", "PrivateDevices": "yes", "ProtectKernelTunables": "yes",
        "ProtectKernelModules": "yes", "ProtectKernelLogs": "yes", "ProtectControlGroups": "yes",
        "RestrictNamespaces": "yes", "LockPersonality": "yes", "RestrictRealtime": "yes",
        "SystemCallArchitectures": "native", "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
        "StandardOutput": "journal", "StandardError": "journal", "EnvironmentFile": "/etc/mtasts/mtasts.env",
    ]

    private static func unitFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: unitDirectory.path)
            .filter { $0.hasSuffix(".service") || $0.hasSuffix(".target") }.sorted()
    }

    /// The `[Service]` section's settings (a repeated key keeps its last value, as systemd applies it).
    private static func serviceSettings(of file: String) throws -> [String: String] {
        let text = try String(contentsOf: unitDirectory.appendingPathComponent(file), encoding: .utf8)
        var section = ""
        var settings: [String: String] = [:]
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("[") {
                section = line
            } else if section == "[Service]", !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") {
                settings[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return settings
    }

    /// Copies every unit into a fresh folder with `ExecStart` pointing at the built binary (verify refuses a
    /// unit whose command does not exist), with `transform` applied to each text.
    private static func copyUnits(
        into directory: TemporaryDirectory,
        transform: (String, String) -> String = { _, text in text }
    ) throws -> [String] {
        let binary = try MTASTSBinary.path()
        var paths: [String] = []
        for file in try unitFiles() {
            let text = try String(contentsOf: unitDirectory.appendingPathComponent(file), encoding: .utf8)
            let rewritten = text.replacingOccurrences(of: "/usr/local/bin/mtasts", with: binary)
            paths.append(try directory.write(transform(file, rewritten), to: file))
        }
        return paths
    }

    private static func verify(_ paths: [String], directory: TemporaryDirectory) throws -> (Int32?, String) {
        let analyze = try Requirement.executable(
            "systemd-analyze",
            installHint: "apt-get install systemd (make deps)"
        )
        let (termination, output) = try ManagedProcess.run(
            name: "systemd-analyze",
            executable: analyze,
            arguments: ["verify", "--man=no"] + paths,
            logDirectory: directory.path,
            timeout: 60
        )
        guard case .exited(let status) = termination else { return (nil, output) }
        return (status, output)
    }

    @Test func systemdAnalyzeVerifyFindsNothingToSayAboutAnyUnit() throws {
        let directory = try TemporaryDirectory(prefix: "units")
        let files = try Self.unitFiles()
        #expect(
            Set(files).isSuperset(of: [
                "mtasts-api.service", "mtasts-edge.service", "mtasts-worker.service", "mtasts-dns.service",
                "mtasts-reports.service", "mtasts-migrate.service", "mtasts-serve.service", "mtasts.target",
            ])
        )
        let (status, output) = try Self.verify(try Self.copyUnits(into: directory), directory: directory)
        #expect(status == 0, "\(output)")
        let aboutOurUnits = output.split(separator: "\n").filter { $0.contains("mtasts") }
        #expect(aboutOurUnits.isEmpty, "systemd-analyze verify: \(aboutOurUnits.joined(separator: "\n"))")

        // The check is not vacuous: a misspelt setting in one copy is reported, naming the unit.
        let broken = try TemporaryDirectory(prefix: "units-broken")
        let brokenPaths = try Self.copyUnits(into: broken) { file, text in
            file == "mtasts-worker.service" ? text.replacingOccurrences(of: "MemoryMax=", with: "MemoryMaxx=") : text
        }
        let (_, complaint) = try Self.verify(brokenPaths, directory: broken)
        #expect(complaint.contains("mtasts-worker.service") && complaint.contains("MemoryMaxx"), "\(complaint)")
    }

    @Test func everyServiceIsHardenedRunsAsMtastsAndHasAMemoryLimit() throws {
        let services = try Self.unitFiles().filter { $0.hasSuffix(".service") }
        #expect(services.count == 7)
        for file in services {
            let settings = try Self.serviceSettings(of: file)
            for (key, value) in Self.hardening {
                #expect(settings[key] == value, "\(file): \(key)=\(settings[key] ?? "(unset)"), expected \(value)")
            }
            let memory = settings["MemoryMax"] ?? ""
            #expect(memory.hasSuffix("M") || memory.hasSuffix("G"), "\(file): MemoryMax=\(memory)")
            #expect(settings["ExecStart"]?.hasPrefix("/usr/local/bin/mtasts ") == true, "\(file)")
        }
    }

    @Test func capabilitiesAreGrantedExactlyWhereTheShippedConfigurationBindsAPortBelow1024() throws {
        let ports = try Self.examplePorts()
        var privileged: [String: Bool] = [:]
        for (role, variables) in Self.listenVariables {
            privileged[role] = variables.contains { variable in (ports[variable] ?? []).contains { $0 < 1024 } }
        }
        // What the example configuration binds today; a change there must come with a change here and in the units.
        #expect(
            privileged == ["api": true, "edge": true, "dns": true, "reports": true, "worker": false, "migrate": false]
        )
        privileged["serve"] = privileged.values.contains(true)

        for (role, needsCapability) in privileged {
            let file = "mtasts-\(role).service"
            let settings = try Self.serviceSettings(of: file)
            if needsCapability {
                #expect(settings["CapabilityBoundingSet"] == "CAP_NET_BIND_SERVICE", "\(file)")
                #expect(settings["AmbientCapabilities"] == "CAP_NET_BIND_SERVICE", "\(file)")
            } else {
                #expect(settings["CapabilityBoundingSet"] == "", "\(file): no capabilities at all")
                #expect(settings["AmbientCapabilities"] == nil, "\(file)")
            }
        }
    }

    /// Ports of every `MTASTS_*_LISTEN` in the example environment file, commented-out examples included.
    private static func examplePorts() throws -> [String: [Int]] {
        let text = try String(contentsOf: environmentExample, encoding: .utf8)
        var ports: [String: [Int]] = [:]
        for rawLine in text.split(separator: "\n") {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("# MTASTS_") { line.removeFirst(2) }
            guard line.hasPrefix("MTASTS_"), let equals = line.firstIndex(of: "=") else { continue }
            let name = String(line[..<equals])
            guard name.hasSuffix("_LISTEN") else { continue }
            let addresses = line[line.index(after: equals)...].split(separator: ",")
            ports[name, default: []] += addresses.compactMap { address in
                address.split(separator: ":").last.flatMap { Int($0) }
            }
        }
        return ports
    }
}
