/// An HTTP protocol version, `HTTP/<major>.<minor>` (RFC 9112 §2.3).
package struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// The major version digit.
    package var major: Int
    /// The minor version digit.
    package var minor: Int

    /// Creates a version from its two digits.
    package init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// `HTTP/1.0`.
    package static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// `HTTP/1.1`.
    package static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// The version as it appears on the wire, e.g. `HTTP/1.1`.
    package var description: String { "HTTP/\(major).\(minor)" }

    private static let prefix = Array("HTTP/".utf8)

    /// Appends the wire form to `buffer` (single-digit versions only, as RFC 9112 defines them).
    func write(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: Self.prefix)
        buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: min(max(major, 0), 9)))
        buffer.append(.period)
        buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: min(max(minor, 0), 9)))
    }
}
