import Foundation
import Synchronization

/// A directory created with `mkdtemp(3)` and deleted, with everything in it, by ``remove()`` or `deinit`.
///
/// Set `KEEP_TEST_DIRECTORIES=1` to keep it for inspecting logs after a failure.
///
/// ```swift
/// let directory = try TemporaryDirectory(prefix: "knot")
/// let config = directory.path("knot.conf")
/// ```
package final class TemporaryDirectory: Sendable {
    /// Absolute path of the directory.
    package let path: String
    private let isRemoved = Mutex(false)

    /// Creates a fresh directory under `$TMPDIR` (or `/tmp`).
    /// - Throws: ``TestSupportError`` when `mkdtemp` fails.
    package init(prefix: String = "test") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard created else {
            throw TestSupportError("mkdtemp in \(base) failed: errno \(errno)")
        }
        path = template.withUnsafeBufferPointer { buffer in
            String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// The path of `name` inside the directory.
    package func path(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `contents` to `name` inside the directory and returns its path.
    /// - Throws: when the file cannot be written.
    @discardableResult
    package func write(_ contents: String, to name: String) throws -> String {
        let file = path(name)
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Deletes the directory tree; later calls do nothing.
    package func remove() {
        isRemoved.withLock { removed in
            guard !removed else { return }
            removed = true
            guard ProcessInfo.processInfo.environment["KEEP_TEST_DIRECTORIES"] != "1" else { return }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    deinit {
        remove()
    }
}
