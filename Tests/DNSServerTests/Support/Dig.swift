import Foundation
import SystemIO
import TestSupport

/// Runs BIND's `dig` against a server and reads the parts of its output the tests check.
///
/// A missing `dig` is a failure naming the package, never a skipped test.
final class Dig {
    /// What one `dig` run printed.
    struct Result: CustomStringConvertible {
        /// The whole output, for failure messages.
        let output: String

        /// The `status:` of the last header printed (after a TCP retry, the TCP answer's).
        var status: String? { lastValue(after: "status: ", upTo: ",") }

        /// The header flags of the last header printed, e.g. `["qr", "aa"]`.
        var flags: Set<String> {
            guard let line = lines.last(where: { $0.hasPrefix(";; flags:") }) else { return [] }
            let field = line.dropFirst(";; flags:".count).prefix { $0 != ";" }
            return Set(field.split(separator: " ").map(String.init))
        }

        /// A section count of the last header printed (`ANSWER`, `AUTHORITY`, `ADDITIONAL`).
        func count(_ section: String) -> Int? {
            lastValue(after: "\(section): ", upTo: ",").flatMap { Int($0) }
        }

        /// The records of a section (`ANSWER`, `AUTHORITY`) of the last response printed.
        func records(_ section: String) -> [Record] {
            guard let start = lines.lastIndex(of: ";; \(section) SECTION:") else { return [] }
            return lines[(start + 1)...].prefix { !$0.isEmpty }.compactMap(Record.init(line:))
        }

        /// The question line of the last response printed, without the leading `;`, fields separated by one space.
        var question: String? {
            guard let start = lines.lastIndex(of: ";; QUESTION SECTION:"), start + 1 < lines.count else { return nil }
            return lines[start + 1].dropFirst().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }

        var description: String { output }

        private var lines: [String] { output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

        private func lastValue(after marker: String, upTo terminator: Character) -> String? {
            guard let line = lines.last(where: { $0.contains(marker) }), let range = line.range(of: marker) else {
                return nil
            }
            return String(line[range.upperBound...].prefix { $0 != terminator && $0 != "\n" })
        }
    }

    /// One record line of dig's output: owner, TTL, class, type and the data as printed.
    struct Record: Equatable {
        let owner: String
        let ttl: Int
        let recordClass: String
        let type: String
        let data: String

        /// Splits a line at whitespace (dig mixes tabs and spaces); nil for anything else.
        init?(line: String) {
            let fields = line.split(maxSplits: 4, whereSeparator: \.isWhitespace).map(String.init)
            guard fields.count == 5, let ttl = Int(fields[1]) else { return nil }
            (owner, self.ttl, recordClass, type, data) = (fields[0], ttl, fields[2], fields[3], fields[4])
        }
    }

    private let executable: String
    private let directory: TemporaryDirectory
    /// Numbers each run's log files (ManagedProcess appends to a file of the same name).
    private var runs = 0

    /// Finds `dig`.
    /// - Throws: ``TestSupportError`` with the install command when it is missing.
    init() throws {
        executable = try Requirement.executable(
            "dig",
            installHint: "apt-get install bind9-dnsutils (or `make deps`, which installs it)"
        )
        directory = try TemporaryDirectory(prefix: "dig")
    }

    /// `dig @<server> -p <port> +time=2 +tries=1 <arguments>`.
    func run(_ server: SocketAddress, _ arguments: [String]) throws -> Result {
        runs += 1
        let (termination, output) = try ManagedProcess.run(
            name: "dig-\(runs)",
            executable: executable,
            arguments: ["@\(server.ipAddress)", "-p", "\(server.port)", "+time=2", "+tries=1"] + arguments,
            logDirectory: directory.path,
            timeout: 20
        )
        guard termination == .exited(0) || arguments.contains("axfr") else {
            throw TestSupportError("dig \(arguments.joined(separator: " ")) ended with \(termination):\n\(output)")
        }
        return Result(output: output)
    }
}
