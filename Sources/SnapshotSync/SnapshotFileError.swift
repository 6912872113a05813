/// Why a snapshot file was refused: a role then starts as if there were no file.
///
/// Four kinds, each a `static let`: ``notASnapshot`` (another format, such as the JSON files of earlier
/// releases), ``unsupported`` (another version or snapshot kind), ``truncated`` and ``corrupt``. Equality
/// compares the kind only. ``reason`` is a fixed phrase, never bytes of the file, so ``description`` is safe
/// to log; ``debugDescription`` adds where the error was raised.
///
/// ```swift
/// #expect(throws: SnapshotFileError.truncated) { try file.read() }
/// ```
package struct SnapshotFileError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private enum Code: String, Sendable {
        case notASnapshot, unsupported, truncated, corrupt
    }

    private let code: Code
    /// The rule that was broken, a fixed phrase free of file content (e.g. "checksum does not match").
    package let reason: String
    /// Where the error was raised (`#fileID`).
    package let file: String
    /// Where the error was raised (`#line`).
    package let line: Int

    private init(_ code: Code, reason: String, file: String, line: Int) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// The file does not start with the snapshot magic (e.g. a JSON snapshot of an earlier release).
    package static let notASnapshot = notASnapshot("no snapshot magic")
    /// Another format version or snapshot kind than this build reads.
    package static let unsupported = unsupported("unsupported version")
    /// The file ends before the snapshot does (a torn write).
    package static let truncated = truncated("file ends early")
    /// A record is malformed or the checksum does not match.
    package static let corrupt = corrupt("checksum does not match")

    /// A `notASnapshot` error; `reason` must be a fixed phrase.
    static func notASnapshot(_ reason: String, file: String = #fileID, line: Int = #line) -> SnapshotFileError {
        SnapshotFileError(.notASnapshot, reason: reason, file: file, line: line)
    }

    /// An `unsupported` error; `reason` must be a fixed phrase.
    static func unsupported(_ reason: String, file: String = #fileID, line: Int = #line) -> SnapshotFileError {
        SnapshotFileError(.unsupported, reason: reason, file: file, line: line)
    }

    /// A `truncated` error; `reason` must be a fixed phrase.
    static func truncated(_ reason: String, file: String = #fileID, line: Int = #line) -> SnapshotFileError {
        SnapshotFileError(.truncated, reason: reason, file: file, line: line)
    }

    /// A `corrupt` error; `reason` must be a fixed phrase.
    static func corrupt(_ reason: String, file: String = #fileID, line: Int = #line) -> SnapshotFileError {
        SnapshotFileError(.corrupt, reason: reason, file: file, line: line)
    }

    /// The kind and the reason, e.g. `corrupt: checksum does not match`; safe to log.
    package var message: String {
        switch code {
        case .notASnapshot: "not a snapshot file: \(reason)"
        case .unsupported: "unsupported: \(reason)"
        case .truncated: "truncated: \(reason)"
        case .corrupt: "corrupt: \(reason)"
        }
    }

    /// Equal when the kinds are equal; the reason and location are not compared.
    package static func == (lhs: SnapshotFileError, rhs: SnapshotFileError) -> Bool { lhs.code == rhs.code }

    /// `SnapshotFileError.<kind>: <message>`; safe to log.
    package var description: String { "SnapshotFileError.\(code.rawValue): \(message)" }

    /// The description plus the source location.
    package var debugDescription: String { "\(description) at \(file):\(line)" }
}
