import Foundation
import TestSupport

/// The built `mtasts` binary, run as an operator would.
enum MTASTSBinary {
    /// The debug build's path.
    /// - Throws: when it has not been built.
    static func path() throws -> String {
        let binary = RepositoryPaths.debugBinary.path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError("\(binary) is missing: run `swift build` before `swift test` (make test does)")
        }
        return binary
    }

    /// Starts `mtasts <arguments>` with only `PATH` and `environment` set; its logs go to `directory`.
    static func launch(
        _ arguments: [String],
        environment: [String: String],
        directory: TemporaryDirectory
    ) throws -> ManagedProcess {
        try ManagedProcess.launch(
            name: "mtasts",
            executable: try path(),
            arguments: arguments,
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"].merging(environment) {
                _,
                new in new
            },
            logDirectory: directory.path
        )
    }

    /// Runs `mtasts <arguments>` to completion.
    /// - Returns: the exit status and standard output followed by standard error.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let directory = try TemporaryDirectory(prefix: "cli")
        let process = try launch(arguments, environment: environment, directory: directory)
        var termination: ManagedProcess.Termination?
        try Poll.until(deadline: 60, "mtasts \(arguments.joined(separator: " ")) exits") {
            termination = process.poll()
            return termination != nil
        }
        guard case .exited(let status) = termination else {
            throw TestSupportError("mtasts \(arguments) ended with \(String(describing: termination))")
        }
        return (status, process.standardOutput() + process.standardError())
    }
}
