import Foundation

@testable import TLS

/// Throwaway certificates made with the `openssl` CLI in a temp dir, once per test process:
/// root CA → intermediate CA → leaves `mta-sts.a.test` (ECDSA P-256) and `mta-sts.b.test` (RSA 2048),
/// plus an unrelated self-signed CA for negative tests.
struct TestPKI: Sendable {
    let directory: URL
    let rootFile: String
    let otherRootFile: String
    let pairA: CertificateKeyPair
    let pairB: CertificateKeyPair
    let chainFileA: String
    let keyFileA: String

    static let shared = Result { try TestPKI.generate() }

    static func load() throws -> TestPKI {
        try shared.get()
    }

    struct CommandFailed: Error, CustomStringConvertible {
        let description: String
    }

    private static func generate() throws -> TestPKI {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A static is never deinitialised: remove the files when the test process exits.
        atexit {
            guard let directory = try? TestPKI.shared.get().directory else { return }
            try? FileManager.default.removeItem(at: directory)
        }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]

        try openssl(
            ["req", "-x509", "-nodes"] + ec + [
                "-keyout", path("root.key"), "-out", path("root.pem"),
                "-days", "2", "-subj", "/CN=Test Root CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ]
        )
        try openssl(
            ["req", "-x509", "-nodes"] + ec + [
                "-keyout", path("other.key"), "-out", path("other.pem"),
                "-days", "2", "-subj", "/CN=Other Root CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ]
        )
        try "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n"
            .write(toFile: path("ca.ext"), atomically: true, encoding: .utf8)
        try openssl(
            ["req", "-new", "-nodes"] + ec + [
                "-keyout", path("int.key"), "-out", path("int.csr"),
                "-subj", "/CN=Test Intermediate CA",
            ]
        )
        try openssl([
            "x509", "-req", "-in", path("int.csr"), "-CA", path("root.pem"), "-CAkey", path("root.key"),
            "-CAcreateserial", "-days", "2", "-extfile", path("ca.ext"), "-out", path("int.pem"),
        ])

        for (name, keyArguments) in [("a", ec), ("b", ["-newkey", "rsa:2048"])] {
            let host = "mta-sts.\(name).test"
            try "subjectAltName=DNS:\(host)\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
                .write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
            try openssl(
                ["req", "-new", "-nodes"] + keyArguments + [
                    "-keyout", path("\(name).key"),
                    "-out", path("\(name).csr"), "-subj", "/CN=\(host)",
                ]
            )
            try openssl([
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("int.pem"), "-CAkey", path("int.key"),
                "-CAcreateserial", "-days", "2", "-extfile", path("\(name).ext"), "-out", path("\(name).pem"),
            ])
            let chain =
                try String(contentsOfFile: path("\(name).pem"), encoding: .utf8)
                + String(contentsOfFile: path("int.pem"), encoding: .utf8)
            try chain.write(toFile: path("\(name)-chain.pem"), atomically: true, encoding: .utf8)
        }
        return TestPKI(
            directory: directory,
            rootFile: path("root.pem"),
            otherRootFile: path("other.pem"),
            pairA: try CertificateKeyPair(chainFile: path("a-chain.pem"), privateKeyFile: path("a.key")),
            pairB: try CertificateKeyPair(chainFile: path("b-chain.pem"), privateKeyFile: path("b.key")),
            chainFileA: path("a-chain.pem"),
            keyFileA: path("a.key")
        )
    }

    /// Runs `openssl` with `arguments`; fails with its stderr when it exits non-zero.
    static func openssl(_ arguments: [String], input: String? = nil) throws {
        let output = try run("/usr/bin/openssl", arguments, input: input)
        if output.status != 0 {
            throw CommandFailed(description: "openssl \(arguments.joined(separator: " ")) failed: \(output.text)")
        }
    }

    /// Runs a process to completion, returning its exit status and combined output.
    static func run(
        _ executable: String,
        _ arguments: [String],
        input: String? = nil
    ) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = stdin
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
        }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
