/// Why compressed bytes were refused by ``Inflate``, ``Gzip`` or ``ZipArchive``.
///
/// Five kinds, each a `static let`: ``truncated``, ``invalidData``, ``outputTooLarge``, ``checksumMismatch`` and
/// ``unsupported``. Equality compares the kind only, so `error == .truncated` reads naturally in callers and tests.
/// ``reason`` names the rule that was broken (a fixed phrase such as "distance too far back"), never bytes of the
/// input, so ``description`` is safe to log; ``debugDescription`` adds where the error was raised.
///
/// ```swift
/// do {
///     report = try Gzip.decompress(body, limits: .reports)
/// } catch where error == .outputTooLarge {
///     // answer 413
/// }
/// ```
package struct DecompressionError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private enum Code: String, Sendable {
        case truncated, invalidData, outputTooLarge, checksumMismatch, unsupported
    }

    private let code: Code
    /// The rule that was broken, a fixed phrase free of input data (e.g. "distance too far back").
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

    /// The input ends before the compressed data does (a cut-off upload or attachment).
    package static let truncated = DecompressionError(
        .truncated,
        reason: "input ends early",
        file: #fileID,
        line: #line
    )
    /// The bytes break a rule of RFC 1951, RFC 1952 or the ZIP format.
    package static let invalidData = DecompressionError(
        .invalidData,
        reason: "invalid compressed data",
        file: #fileID,
        line: #line
    )
    /// The output would exceed the ``DecompressionLimits`` in force (a decompression bomb, or just too big).
    package static let outputTooLarge = DecompressionError(
        .outputTooLarge,
        reason: "output exceeds the limit",
        file: #fileID,
        line: #line
    )
    /// A CRC-32, a header CRC-16 or a stored size does not match the decompressed data.
    package static let checksumMismatch = DecompressionError(
        .checksumMismatch,
        reason: "checksum does not match",
        file: #fileID,
        line: #line
    )
    /// Valid but outside what this module reads: another compression method, encryption, ZIP64, multi-disk.
    package static let unsupported = DecompressionError(
        .unsupported,
        reason: "unsupported format feature",
        file: #fileID,
        line: #line
    )

    /// A `truncated` error naming the broken rule; `reason` must be a fixed phrase, never input data.
    static func truncated(_ reason: String, file: String = #fileID, line: Int = #line) -> DecompressionError {
        DecompressionError(.truncated, reason: reason, file: file, line: line)
    }

    /// A `invalidData` error naming the broken rule; `reason` must be a fixed phrase, never input data.
    static func invalidData(_ reason: String, file: String = #fileID, line: Int = #line) -> DecompressionError {
        DecompressionError(.invalidData, reason: reason, file: file, line: line)
    }

    /// A `outputTooLarge` error naming the broken rule; `reason` must be a fixed phrase, never input data.
    static func outputTooLarge(_ reason: String, file: String = #fileID, line: Int = #line) -> DecompressionError {
        DecompressionError(.outputTooLarge, reason: reason, file: file, line: line)
    }

    /// A `checksumMismatch` error naming the broken rule; `reason` must be a fixed phrase, never input data.
    static func checksumMismatch(_ reason: String, file: String = #fileID, line: Int = #line) -> DecompressionError {
        DecompressionError(.checksumMismatch, reason: reason, file: file, line: line)
    }

    /// A `unsupported` error naming the broken rule; `reason` must be a fixed phrase, never input data.
    static func unsupported(_ reason: String, file: String = #fileID, line: Int = #line) -> DecompressionError {
        DecompressionError(.unsupported, reason: reason, file: file, line: line)
    }

    /// The kind and the reason, e.g. `invalid data: distance too far back`; safe to log.
    package var message: String {
        switch code {
        case .truncated: "truncated input: \(reason)"
        case .invalidData: "invalid data: \(reason)"
        case .outputTooLarge: "output too large: \(reason)"
        case .checksumMismatch: "checksum mismatch: \(reason)"
        case .unsupported: "unsupported: \(reason)"
        }
    }

    /// Equal when the kinds are equal; the reason and location are not compared.
    package static func == (lhs: DecompressionError, rhs: DecompressionError) -> Bool { lhs.code == rhs.code }

    /// `DecompressionError.<kind>: <message>`; safe to log.
    package var description: String { "DecompressionError.\(code.rawValue): \(message)" }

    /// The description plus the source location.
    package var debugDescription: String { "\(description) at \(file):\(line)" }
}
