import Foundation

/// Finds a folder that ships beside the code (`Migrations/`, `Public/`): the configured path relative to the
/// working directory, else a folder of that name upwards from the executable (`.build/debug/mtasts` finds the
/// repository's).
enum ResourceDirectory {
    /// The folder at `configured`, or `name` found upwards from the executable; nil when neither exists.
    /// - Parameters:
    ///   - configured: the configured path (absolute or relative to the working directory).
    ///   - name: the folder name searched for next to the executable and in its parent folders.
    static func find(configured: String, name: String) -> URL? {
        let configuredURL = URL(fileURLWithPath: configured)
        if isDirectory(configuredURL) { return configuredURL }
        var candidate = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            let folder = candidate.appendingPathComponent(name)
            if isDirectory(folder) { return folder }
            candidate.deleteLastPathComponent()
        }
        return nil
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
