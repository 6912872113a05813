/// Why the spool could not take or give back a report.
package struct SpoolError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case full
        case io
        case corrupt
    }

    private let code: Code
    /// Safe to log.
    package let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The spool holds its maximum of files or bytes: the sender should retry later (the importer drains it).
    package static let full = SpoolError(.full, "The report spool is full.")
    /// Writing or reading the disk failed.
    package static let io = SpoolError(.io, "The report spool cannot be written or read.")
    /// A spool file is not in the spool's format.
    package static let corrupt = SpoolError(.corrupt, "A spool file is corrupt.")

    /// The same kind of error with a specific message.
    func with(message: String) -> SpoolError { SpoolError(code, message) }

    package var description: String { message }

    package static func == (lhs: SpoolError, rhs: SpoolError) -> Bool { lhs.code == rhs.code }
}
