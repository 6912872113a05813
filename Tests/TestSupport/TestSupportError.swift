/// A failure in the test harness itself: a missing tool, a process that would not start, a deadline passed.
package struct TestSupportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, including the install command or log excerpt that explains it.
    package let message: String

    /// Creates an error.
    package init(_ message: String) {
        self.message = message
    }

    /// The message.
    package var description: String { message }
}
