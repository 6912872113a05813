internal import CLinux
import Glibc

/// An IPv4 or IPv6 address with a port, as used by `bind`, `connect` and `accept`.
///
/// ```swift
/// let address = try SocketAddress(parsing: "[::1]:443")
/// address.description  // "[::1]:443"
/// ```
package struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family.
    package enum Family: Sendable, Hashable {
        case ipv4
        case ipv6
    }

    /// Address bytes kept exactly as the kernel lays them out (network byte order).
    private enum Storage: Hashable {
        case ipv4(address: UInt32)
        case ipv6(high: UInt64, low: UInt64, scopeID: UInt32)
    }

    private let storage: Storage
    /// The port in host byte order.
    package let port: UInt16

    /// Creates an address from a numeric IP literal (no brackets, no DNS) and a port.
    /// - Throws: ``SocketAddressError/invalidHost`` when `ipAddress` is not an IPv4 or IPv6 literal.
    package init(ipAddress: String, port: UInt16) throws {
        var v4 = in_addr()
        if inet_pton(AF_INET, ipAddress, &v4) == 1 {
            self.storage = .ipv4(address: v4.s_addr)
            self.port = port
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, ipAddress, &v6) == 1 {
            self.storage = Self.ipv6Storage(v6, scopeID: 0)
            self.port = port
            return
        }
        throw SocketAddressError.invalidHost
    }

    /// Creates an address from raw IP address bytes in network order (no scope ID) and a port.
    /// - Parameters:
    ///   - addressBytes: Four bytes for IPv4, sixteen for IPv6, most significant first.
    ///   - port: The port in host byte order.
    /// - Returns: `nil` when `addressBytes` holds neither four nor sixteen bytes.
    package init?(addressBytes: [UInt8], port: UInt16) {
        switch addressBytes.count {
        case 4:
            // s_addr holds the bytes in network order, exactly as they appear in memory.
            self.storage = .ipv4(address: addressBytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
        case 16:
            var v6 = in6_addr()
            withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: addressBytes) }
            self.storage = Self.ipv6Storage(v6, scopeID: 0)
        default:
            return nil
        }
        self.port = port
    }

    /// IPv4 or IPv6.
    package var family: Family {
        switch storage {
        case .ipv4: return .ipv4
        case .ipv6: return .ipv6
        }
    }

    /// The numeric address text (`"127.0.0.1"`, `"::1"`), without port or brackets.
    package var ipAddress: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch storage {
        case .ipv4(let address):
            var raw = in_addr(s_addr: address)
            _ = inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
        case .ipv6:
            var raw = ipv6Address
            _ = inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `"127.0.0.1:8080"` or `"[::1]:443"`.
    package var description: String {
        switch family {
        case .ipv4: return "\(ipAddress):\(port)"
        case .ipv6: return "[\(ipAddress)]:\(port)"
        }
    }

    /// The same address with another port.
    package func withPort(_ port: UInt16) -> SocketAddress {
        SocketAddress(storage: storage, port: port)
    }

    /// The IP address as an unsigned 128-bit number split into two halves, most significant half first.
    ///
    /// An IPv6 address fills both halves; an IPv4 address sits in the low 32 bits of `low` with `high` zero, so
    /// shifting off low bits yields a network prefix (`low >> 8` is an IPv4 /24, `high >> 8` an IPv6 /56) without
    /// allocating. The port and any IPv6 scope ID are not part of it.
    package var numericAddress: (high: UInt64, low: UInt64) {
        switch storage {
        case .ipv4(let address):
            // `address` holds the bytes in network order exactly as they lie in memory.
            return (0, UInt64(UInt32(bigEndian: address)))
        case .ipv6(let high, let low, _):
            return (UInt64(bigEndian: high), UInt64(bigEndian: low))
        }
    }

    private init(storage: Storage, port: UInt16) {
        self.storage = storage
        self.port = port
    }

    private static func ipv6Storage(_ address: in6_addr, scopeID: UInt32) -> Storage {
        withUnsafeBytes(of: address) { bytes in
            .ipv6(
                high: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                low: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                scopeID: scopeID
            )
        }
    }

    private var ipv6Address: in6_addr {
        var address = in6_addr()
        if case .ipv6(let high, let low, _) = storage {
            withUnsafeMutableBytes(of: &address) { bytes in
                bytes.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
                bytes.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
        }
        return address
    }
}

// MARK: - Kernel representation

extension SocketAddress {
    /// Calls `body` with a `sockaddr` pointer and length describing this address.
    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        switch storage {
        case .ipv4(let address):
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_port = port.bigEndian
            raw.sin_addr = in_addr(s_addr: address)
            return try withUnsafePointer(to: &raw) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                    try body(sockaddrPointer, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6(_, _, let scopeID):
            var raw = sockaddr_in6()
            raw.sin6_family = sa_family_t(AF_INET6)
            raw.sin6_port = port.bigEndian
            raw.sin6_addr = ipv6Address
            raw.sin6_scope_id = scopeID
            return try withUnsafePointer(to: &raw) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                    try body(sockaddrPointer, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// The `AF_*` constant for ``family``.
    var addressFamily: CInt {
        switch family {
        case .ipv4: return AF_INET
        case .ipv6: return AF_INET6
        }
    }

    /// Reads an address the kernel writes into a `sockaddr_storage` (`getsockname`, `getpeername`).
    static func fromKernel(
        function: String,
        _ fill: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> CInt
    ) throws -> SocketAddress {
        var raw = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &raw) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                try syscallValue(function) { fill(sockaddrPointer, &length) }
            }
        }
        return try decoding(raw, function: function)
    }

    /// Reads an IPv4 or IPv6 address the kernel wrote into `raw`.
    /// - Throws: ``SystemError`` with `EAFNOSUPPORT` (attributed to `function`) for any other family.
    static func decoding(_ raw: sockaddr_storage, function: String) throws -> SocketAddress {
        try withUnsafeBytes(of: raw) { bytes in
            switch CInt(raw.ss_family) {
            case AF_INET:
                let v4 = bytes.loadUnaligned(as: sockaddr_in.self)
                return SocketAddress(storage: .ipv4(address: v4.sin_addr.s_addr), port: UInt16(bigEndian: v4.sin_port))
            case AF_INET6:
                let v6 = bytes.loadUnaligned(as: sockaddr_in6.self)
                return SocketAddress(
                    storage: ipv6Storage(v6.sin6_addr, scopeID: v6.sin6_scope_id),
                    port: UInt16(bigEndian: v6.sin6_port)
                )
            default:
                throw SystemError(errno: EAFNOSUPPORT, function: function)
            }
        }
    }
}
