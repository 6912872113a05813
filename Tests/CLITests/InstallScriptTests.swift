import Foundation
import TestSupport
import Testing

/// `deploy/install.sh` against a throwaway root (`--prefix … --no-system`): the tree it produces, that a second
/// run changes nothing, that it never replaces the master key or the environment file, and that the installed
/// binary finds the installed migrations and loads the generated key.
@Suite struct InstallScriptTests {
    private static let script = RepositoryPaths.root.appendingPathComponent("deploy/install.sh").path

    /// Path relative to the root → (mode, contents; nil for a directory).
    private typealias Tree = [String: (mode: Int, contents: Data?)]

    private static func install(_ arguments: [String], directory: TemporaryDirectory) throws -> (Int32?, String) {
        let (termination, output) = try ManagedProcess.run(
            name: "install-\(UUID().uuidString.prefix(8))",
            executable: "/bin/bash",
            arguments: [script] + arguments,
            logDirectory: directory.path,
            timeout: 120
        )
        guard case .exited(let status) = termination else { return (nil, output) }
        return (status, output)
    }

    private static func tree(at root: String) throws -> Tree {
        var tree: Tree = [:]
        let manager = FileManager.default
        for case let relative as String in manager.enumerator(atPath: root)?.allObjects ?? [] {
            let path = root + "/" + relative
            let attributes = try manager.attributesOfItem(atPath: path)
            let mode = (attributes[.posixPermissions] as? Int) ?? -1
            let isDirectory = (attributes[.type] as? FileAttributeType) == .typeDirectory
            tree[relative] = (mode, isDirectory ? nil : try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return tree
    }

    private static func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.root.appendingPathComponent(folder).path)
    }

    private static func contents(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func installsIntoAThrowawayRootAndASecondRunChangesNothing() throws {
        let directory = try TemporaryDirectory(prefix: "install")
        let root = directory.path("root")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        let binary = try MTASTSBinary.path()
        let arguments = ["--prefix", root, "--no-build", "--binary", binary, "--no-system"]

        let (status, output) = try Self.install(arguments, directory: directory)
        #expect(status == 0, "\(output)")
        let first = try Self.tree(at: root)

        #expect(first["usr/local/bin/mtasts"]?.mode == 0o755)
        #expect(first["usr/local/bin/mtasts"]?.contents == (try Self.contents(binary)))
        #expect(first["etc/mtasts"]?.mode == 0o750)
        #expect(first["var/lib/mtasts"]?.mode == 0o750)
        let key = try #require(first["etc/mtasts/secret.key"])
        #expect(key.mode == 0o600 && key.contents?.count == 32)
        let environment = try #require(first["etc/mtasts/mtasts.env"])
        #expect(environment.mode == 0o640 || environment.mode == 0o600)
        let environmentText = String(decoding: environment.contents ?? Data(), as: UTF8.self)
        #expect(environmentText.contains("\nMTASTS_MIGRATIONS_DIR=/usr/local/share/mtasts/Migrations\n"))
        #expect(environmentText.contains("\nMTASTS_PUBLIC_DIR=/usr/local/share/mtasts/Public\n"))
        #expect(environmentText.contains("\nMTASTS_SECRET_KEY_FILE=/etc/mtasts/secret.key\n"))
        for unit in try Self.files(in: "deploy/systemd") {
            let installed = first["etc/systemd/system/" + unit]
            #expect(installed?.mode == 0o644, "\(unit)")
            #expect(installed?.contents == (try Self.contents(RepositoryPaths.root.path + "/deploy/systemd/" + unit)))
        }
        for folder in ["Migrations", "Public"] {
            for file in try Self.files(in: folder) {
                let installed = first["usr/local/share/mtasts/\(folder)/\(file)"]
                #expect(installed?.mode == 0o644, "\(folder)/\(file)")
                #expect(installed?.contents == (try Self.contents(RepositoryPaths.root.path + "/\(folder)/\(file)")))
            }
        }
        #expect(output.contains("skipped (--no-system)"))
        #expect(output.contains("systemctl daemon-reload && systemctl enable mtasts.target mtasts-migrate.service"))

        // Again: success, nothing written, the key and the environment file kept.
        let (again, againOutput) = try Self.install(arguments, directory: directory)
        #expect(again == 0, "\(againOutput)")
        #expect(againOutput.contains("usr/local/bin/mtasts: unchanged"))
        #expect(againOutput.contains("secret.key: exists, kept"))
        #expect(againOutput.contains("mtasts.env: exists, kept"))
        let second = try Self.tree(at: root)
        #expect(Set(second.keys) == Set(first.keys))
        for (path, entry) in first {
            #expect(second[path]?.mode == entry.mode && second[path]?.contents == entry.contents, "\(path) changed")
        }

        // An operator's edits survive a re-run (an upgrade).
        let edited = environmentText + "MTASTS_EDGE_HOSTNAME=edge.operator.test\n"
        try edited.write(toFile: root + "/etc/mtasts/mtasts.env", atomically: false, encoding: .utf8)
        let (third, thirdOutput) = try Self.install(arguments, directory: directory)
        #expect(third == 0, "\(thirdOutput)")
        #expect(try String(contentsOfFile: root + "/etc/mtasts/mtasts.env", encoding: .utf8) == edited)
        #expect(try Self.contents(root + "/etc/mtasts/secret.key") == key.contents)

        // The installed binary applies the installed migrations and reads the generated key.
        let keyID = try #require(
            output.split(separator: "\n").first { $0.contains("secret.key: generated (key id ") }?
                .split(separator: "(key id ").last?.prefix(8)
        )
        let url = try PostgresTestCluster.shared.makeEmptyDatabase()
        let installed = [
            "MTASTS_DATABASE_URL": url,
            "MTASTS_MIGRATIONS_DIR": root + "/usr/local/share/mtasts/Migrations",
            "MTASTS_SECRET_KEY_FILE": root + "/etc/mtasts/secret.key",
            "MTASTS_DATA_DIR": directory.path("data"),
        ]
        let (migrated, migrateOutput) = try Self.runInstalled(root, ["migrate"], installed, directory: directory)
        #expect(migrated == 0 && migrateOutput.contains("applied migration"), "\(migrateOutput)")
        let (doctor, doctorOutput) = try Self.runInstalled(root, ["admin", "doctor"], installed, directory: directory)
        #expect(doctor == 0, "\(doctorOutput)")
        #expect(doctorOutput.contains("keys: every secret in use is readable with the current key \(keyID)"))
    }

    @Test func aGivenDatabaseURLGoesIntoTheNewEnvironmentFile() throws {
        let directory = try TemporaryDirectory(prefix: "install-url")
        let root = directory.path("root")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        let url =
            "postgresql://mtasts@db1.internal,db2.internal/mtasts?target_session_attrs=read-write&sslmode=verify-full"
        let (status, output) = try Self.install(
            [
                "--prefix", root, "--no-build", "--binary", try MTASTSBinary.path(), "--no-system", "--database-url",
                url,
                "--roles", "serve",
            ],
            directory: directory
        )
        #expect(status == 0, "\(output)")
        let text = try String(contentsOfFile: root + "/etc/mtasts/mtasts.env", encoding: .utf8)
        #expect(text.contains("\nMTASTS_DATABASE_URL=\(url)\n"))
        #expect(output.contains("systemctl enable mtasts.target mtasts-serve.service\n"))

        let (help, helpOutput) = try Self.install(["--help"], directory: directory)
        #expect(help == 0 && helpOutput.contains("--no-system"))
        let (unknown, unknownOutput) = try Self.install(["--frobnicate"], directory: directory)
        #expect(unknown == 64 && unknownOutput.contains("--frobnicate"))
    }

    private static func runInstalled(
        _ root: String,
        _ arguments: [String],
        _ environment: [String: String],
        directory: TemporaryDirectory
    ) throws -> (Int32?, String) {
        let process = try ManagedProcess.launch(
            name: "installed-mtasts-\(UUID().uuidString.prefix(8))",
            executable: root + "/usr/local/bin/mtasts",
            arguments: arguments,
            environment: environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) {
                old,
                _ in old
            },
            logDirectory: directory.path
        )
        var termination: ManagedProcess.Termination?
        try Poll.until(deadline: 60, "mtasts \(arguments.joined(separator: " ")) exits") {
            termination = process.poll()
            return termination != nil
        }
        guard case .exited(let status) = termination else { return (nil, process.logTail()) }
        return (status, process.standardOutput() + process.standardError())
    }
}
