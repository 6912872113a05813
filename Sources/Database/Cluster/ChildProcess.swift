import Foundation
import Glibc

/// Runs a program to completion with `posix_spawn` and `waitpid`, capturing its output through a file.
///
/// Foundation's `Process` can miss a child's exit on Linux when the child leaves a daemon behind (as
/// `pg_ctl start` does), so server commands use this small, predictable runner instead.
enum ChildProcess {
    struct Result {
        let exitCode: Int32
        let output: String
    }

    /// Runs `executable` (an absolute path) with `arguments`, stdin from /dev/null, stdout+stderr captured,
    /// in directory `/`.
    static func run(_ executable: String, _ arguments: [String]) throws(DatabaseError) -> Result {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("mtasts-child-\(getpid())-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Start in a directory every user can enter (initdb and pg_ctl run as `postgres` and check their cwd);
        // `posix_spawn_file_actions_addchdir_np` does not import into Swift, so a shell changes directory.
        let command = ["/bin/sh", "-c", "cd / && exec \"$0\" \"$@\"", executable] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var processID: pid_t = 0
        let status = posix_spawn(&processID, "/bin/sh", &actions, nil, argv, environ)
        guard status == 0 else {
            throw DatabaseError(.clusterFailed, "cannot start \(executable) (error \(status))")
        }
        var waitStatus: Int32 = 0
        while waitpid(processID, &waitStatus, 0) < 0 {
            guard errno == EINTR else {
                throw DatabaseError(.clusterFailed, "waitpid failed for \(executable) (errno \(errno))")
            }
        }
        let exited = waitStatus & 0x7f == 0
        let exitCode = exited ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Result(exitCode: exitCode, output: output)
    }
}
