import Glibc

/// A failed system call: the C function's name and the `errno` it left.
///
/// `description` is safe to log: it holds only the function name and `strerror` text.
package struct SystemError: Error, Equatable, CustomStringConvertible {
    /// The `errno` value reported by the call.
    package let errno: CInt
    /// The C function that failed, e.g. `"accept4"`.
    package let function: String
    /// Where the error was raised in Swift.
    package let file: String
    /// Line where the error was raised in Swift.
    package let line: Int

    /// Creates an error for `function` failing with `errno`.
    package init(errno: CInt, function: String, file: String = #fileID, line: Int = #line) {
        self.errno = errno
        self.function = function
        self.file = file
        self.line = line
    }

    /// The `strerror(3)` text for ``errno``.
    package var message: String {
        String(cString: strerror(errno))
    }

    /// Whether the error is `ETIMEDOUT`: a deadline passed in a deadline-driven call such as
    /// ``Socket/connect(to:until:)``, or the kernel gave up on a connection.
    package var isTimeout: Bool {
        errno == ETIMEDOUT
    }

    /// `"<function> failed: <strerror> (errno N)"`.
    package var description: String {
        "\(function) failed: \(message) (errno \(errno))"
    }

    /// Equal when the function and the errno match; the source location is ignored.
    package static func == (lhs: SystemError, rhs: SystemError) -> Bool {
        lhs.errno == rhs.errno && lhs.function == rhs.function
    }
}
