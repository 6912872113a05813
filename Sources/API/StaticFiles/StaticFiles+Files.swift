package import Foundation

// MARK: - Loading from disk (the one place of the API module that reads files)

extension StaticFiles {
    /// Reads every servable file directly inside `directory` (no subfolders, no hidden files, no symlinks
    /// leading elsewhere) into memory, once, at start.
    /// - Throws: `CocoaError` when the directory cannot be listed or a file cannot be read.
    package init(directory: URL) throws {
        var contents: [String: [UInt8]] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in names where Self.isServableName(name) && Self.contentType(forName: name) != nil {
            let url = directory.appendingPathComponent(name)
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            contents[name] = Array(try Data(contentsOf: url))
        }
        self.init(contents: contents)
    }
}
