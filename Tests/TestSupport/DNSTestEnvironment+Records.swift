package import DNS
import Foundation
import Synchronization

// MARK: - Changing records at run time (knotc zone transactions)

extension DNSTestEnvironment {
    /// Adds one record to the RRset at `owner` (Knot merges it into an existing RRset).
    /// - Parameters:
    ///   - owner: absolute (`"x.example.test"`), relative to `zone`, or `"@"`.
    ///   - value: presentation form; TXT text is quoted automatically unless it starts with `"`.
    /// - Throws: ``TestSupportError`` with knotc's output when the transaction fails (it is aborted).
    package func set(zone: String, owner: String, type: DNSRecordType, ttl: UInt32 = 1, value: String) throws {
        let record = DNSTestRecord(owner: owner, type: type, ttl: ttl, value: value, zone: zone)
        try transaction(zone: zone) {
            [
                [
                    "zone-set", zone, record.absoluteOwner(in: zone), String(ttl), type.description,
                    record.presentationValue,
                ]
            ]
        }
    }

    /// Removes every record of `type` at `owner`.
    /// - Throws: ``TestSupportError`` with knotc's output when the transaction fails (it is aborted).
    package func unset(zone: String, owner: String, type: DNSRecordType) throws {
        try transaction(zone: zone) {
            [["zone-unset", zone, DNSTestRecord.absolute(owner, in: zone), type.description]]
        }
    }

    /// Replaces the RRset of `type` at `owner` with `values` in one transaction (an empty list removes it).
    /// - Throws: ``TestSupportError`` with knotc's output when the transaction fails (it is aborted).
    package func replace(zone: String, owner: String, type: DNSRecordType, ttl: UInt32 = 1, values: [String]) throws {
        let absoluteOwner = DNSTestRecord.absolute(owner, in: zone)
        try transaction(zone: zone) {
            let unset =
                try hasRRset(zone: zone, owner: absoluteOwner, type: type)
                ? [["zone-unset", zone, absoluteOwner, type.description]] : []
            return unset
                + values.map { value in
                    let record = DNSTestRecord(owner: absoluteOwner, type: type, ttl: ttl, value: value, zone: zone)
                    return ["zone-set", zone, absoluteOwner, String(ttl), type.description, record.presentationValue]
                }
        }
    }

    /// Quotes text as TXT character-strings: `"` and `\` escaped, bytes outside printable ASCII as `\DDD`,
    /// and strings longer than 255 bytes split.
    package static func quotedTXT(_ strings: [String]) -> String {
        strings.flatMap { string -> [String] in
            let bytes = Array(string.utf8)
            let chunks = stride(from: 0, to: max(bytes.count, 1), by: 255).map {
                Array(bytes[$0..<min($0 + 255, bytes.count)])
            }
            return chunks.map { chunk in
                var quoted = "\""
                for byte in chunk {
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                        quoted += "\\" + String(UnicodeScalar(byte))
                    case 0x20...0x7E:
                        quoted.unicodeScalars.append(UnicodeScalar(byte))
                    default:
                        let digits = String(byte)
                        quoted += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
                    }
                }
                return quoted + "\""
            }
        }.joined(separator: " ")
    }

    /// Whether Knot has an RRset of `type` at `owner` (zone-unset of a missing RRset is an error).
    private func hasRRset(zone: String, owner: String, type: DNSRecordType) throws -> Bool {
        let result = try knotcCommand(["zone-read", zone, owner, type.description])
        return result.termination == .exited(0) && result.output.contains(" \(type.description) ")
    }

    /// Runs `zone-begin`, the commands, and `zone-commit`; aborts on the first failure.
    private func transaction(zone: String, _ commands: () throws -> [[String]]) throws {
        try transactionLock.withLock { _ in
            try knotc(["zone-begin", zone])
            do {
                for command in try commands() {
                    try knotc(command)
                }
                try knotc(["zone-commit", zone])
            } catch {
                _ = try? knotcCommand(["zone-abort", zone])
                throw error
            }
        }
    }

    private func knotc(_ arguments: [String]) throws {
        let result = try knotcCommand(arguments)
        guard result.termination == .exited(0), !result.output.lowercased().contains("error") else {
            throw TestSupportError(
                "knotc \(arguments.joined(separator: " ")) failed (\(result.termination)): \(result.output)"
            )
        }
    }

    private func knotcCommand(_ arguments: [String]) throws -> (termination: ManagedProcess.Termination, output: String)
    {
        let logs = directory.path("knotc")
        try? FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        return try ManagedProcess.run(
            name: "knotc-\(UInt32.random(in: .min ... .max))",
            executable: knotcPath,
            arguments: ["-s", controlSocketPath, "-t", "10"] + arguments,
            logDirectory: logs
        )
    }
}
