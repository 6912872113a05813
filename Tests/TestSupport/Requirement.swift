import Foundation

/// Checks for tools an integration test needs. A missing tool is a failure with the install command,
/// never a silent skip.
package enum Requirement {
    /// Directories searched after `$PATH`; daemons often live in sbin directories missing from a user's PATH.
    private static let extraDirectories = [
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
    ]

    /// Returns the absolute path of `name`.
    /// - Throws: ``TestSupportError`` saying how to install it when it is not found.
    @discardableResult
    package static func executable(_ name: String, installHint: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + extraDirectories
        for directory in directories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw TestSupportError("required executable '\(name)' was not found; install it with: \(installHint)")
    }
}
