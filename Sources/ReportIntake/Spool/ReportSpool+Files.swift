import Foundation
import Glibc
import SystemIO

// The one file of the module that touches the disk.
extension ReportSpool {
    func createDirectories() throws(SpoolError) {
        do {
            for directory in [readyDirectory, temporaryDirectory, rejectedDirectory] {
                try DurableFile.createDirectory(directory)
            }
        } catch {
            throw SpoolError.io.with(message: "Cannot create the report spool at \(configuration.directory): \(error)")
        }
        // A temp file left by a crash was never acknowledged: its sender retries.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory)) ?? [] {
            unlink(temporaryDirectory + "/" + name)
        }
    }

    func write(_ bytes: [UInt8], name: String) throws(SpoolError) {
        do {
            try DurableFile.write(
                bytes,
                to: readyDirectory + "/" + name,
                temporaryPath: temporaryDirectory + "/" + name
            )
        } catch {
            throw SpoolError.io.with(message: "Cannot write to the report spool: \(error)")
        }
    }

    func scanUsage() -> Usage {
        var usage = Usage(files: 0, bytes: 0)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: readyDirectory)) ?? []
        where Self.isFileName(name) {
            var status = stat()
            guard stat(readyDirectory + "/" + name, &status) == 0 else { continue }
            usage.files += 1
            usage.bytes += Int(status.st_size)
        }
        return usage
    }

    /// The oldest waiting reports, at most `limit`.
    package func pending(limit: Int) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: readyDirectory)) ?? []
        return Array(names.filter(Self.isFileName).sorted().prefix(limit))
    }

    /// The entry stored under `name`.
    /// - Throws: ``SpoolError/io`` when it cannot be read, ``SpoolError/corrupt`` when it is not an entry.
    package func read(_ name: String) throws(SpoolError) -> SpoolEntry {
        guard let data = FileManager.default.contents(atPath: readyDirectory + "/" + name) else {
            throw SpoolError.io.with(message: "Cannot read \(name) from the report spool.")
        }
        return try SpoolEntry(decoding: Array(data))
    }

    /// Deletes an imported report.
    package func remove(_ name: String) throws(SpoolError) {
        let path = readyDirectory + "/" + name
        var status = stat()
        let size = stat(path, &status) == 0 ? Int(status.st_size) : 0
        guard unlink(path) == 0 || errno == ENOENT else {
            throw SpoolError.io.with(message: "Cannot remove \(name) from the report spool (errno \(errno)).")
        }
        try? DurableFile.synchronizeDirectory(readyDirectory)
        forget(bytes: size)
    }

    /// Moves a report that can never be imported to `rejected/`, with the reason beside it, for the operator.
    package func reject(_ name: String, reason: String) throws(SpoolError) {
        let path = readyDirectory + "/" + name
        var status = stat()
        let size = stat(path, &status) == 0 ? Int(status.st_size) : 0
        do {
            try DurableFile.write(Array((reason + "\n").utf8), to: rejectedDirectory + "/" + name + ".reason")
        } catch {
            throw SpoolError.io.with(message: "Cannot write the rejection reason of \(name): \(error)")
        }
        guard rename(path, rejectedDirectory + "/" + name) == 0 else {
            throw SpoolError.io.with(message: "Cannot move \(name) to rejected/ (errno \(errno)).")
        }
        try? DurableFile.synchronizeDirectory(readyDirectory)
        forget(bytes: size)
    }
}
