/// The error thrown by every fallible operation in the `Crypto` module.
///
/// Compare errors by ``code`` (equality looks at the code only). ``description`` is safe to log: it never contains
/// key material, plaintext, passwords or tokens, only a short message and OpenSSL's own error strings.
///
/// ```swift
/// do { _ = try AEAD.open(box, key: key) } catch let error as CryptoError where error.code == .authenticationFailed {
///     // tampered or wrong key
/// }
/// ```
package struct CryptoError: Error, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidInput
            case invalidKey
            case decodingFailed
            case authenticationFailed
            case randomGenerationFailed
            case unknownKeyID
            case fileSystem
            case openSSLFailure
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// An argument was malformed or out of range (wrong length, bad DNS name, absurd parameters).
        package static let invalidInput = Code(.invalidInput)
        /// Key material was rejected (wrong curve, wrong length, not on the curve).
        package static let invalidKey = Code(.invalidKey)
        /// PEM, DER or an encoded string could not be parsed.
        package static let decodingFailed = Code(.decodingFailed)
        /// AEAD authentication failed: tampered data, wrong key or wrong additional data.
        package static let authenticationFailed = Code(.authenticationFailed)
        /// The random number generator failed.
        package static let randomGenerationFailed = Code(.randomGenerationFailed)
        /// A ``Keyring`` has no key with the requested identifier.
        package static let unknownKeyID = Code(.unknownKeyID)
        /// Reading or writing a key file failed.
        package static let fileSystem = Code(.fileSystem)
        /// An OpenSSL call failed unexpectedly; see ``CryptoError/openSSLErrors``.
        package static let openSSLFailure = Code(.openSSLFailure)

        /// The code's name, e.g. `authenticationFailed`.
        package var description: String { base.rawValue }
    }

    /// The kind of failure.
    package let code: Code
    /// A short human-readable explanation, safe to log.
    package let message: String
    /// Entries drained from OpenSSL's thread-local error queue when the failure happened (oldest first).
    package let openSSLErrors: [String]
    /// An underlying error, for example a decoding error.
    package let underlying: (any Error)?
    /// Source file that created the error.
    package let file: String
    /// Source line that created the error.
    package let line: Int

    /// Creates an error.
    package init(
        _ code: Code,
        _ message: String,
        openSSLErrors: [String] = [],
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.openSSLErrors = openSSLErrors
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// Creates an error carrying the drained OpenSSL error queue of the current thread.
    static func openSSL(
        _ code: Code,
        _ message: String,
        file: String = #fileID,
        line: Int = #line
    ) -> CryptoError {
        CryptoError(code, message, openSSLErrors: OpenSSLErrorQueue.drain(), file: file, line: line)
    }

    /// Creates an ``Code/openSSLFailure`` error carrying the drained OpenSSL error queue.
    static func openSSL(_ message: String, file: String = #fileID, line: Int = #line) -> CryptoError {
        openSSL(.openSSLFailure, message, file: file, line: line)
    }

    /// Errors are equal when their codes are equal.
    package static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.code == rhs.code
    }

    /// `CryptoError.<code>: <message> [<openssl errors>]`, safe to log.
    package var description: String {
        var text = "CryptoError.\(code): \(message)"
        if !openSSLErrors.isEmpty {
            text += " [" + openSSLErrors.joined(separator: "; ") + "]"
        }
        return text
    }

    /// The description plus source location and the underlying error.
    package var debugDescription: String {
        var text = description + " (\(file):\(line))"
        if let underlying {
            text += " underlying: \(String(reflecting: underlying))"
        }
        return text
    }
}
