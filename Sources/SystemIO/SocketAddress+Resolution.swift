internal import CLinux
import Glibc

// MARK: - Name resolution (getaddrinfo)

extension SocketAddress {
    /// Resolves a host name (or numeric literal) to TCP addresses with `getaddrinfo(3)`, in the order the
    /// system prefers (RFC 6724 sorting, `/etc/gai.conf`), duplicates removed.
    ///
    /// A blocking call: use it from worker threads, never on an event loop.
    /// - Parameters:
    ///   - hostName: A DNS name or an IPv4/IPv6 literal without brackets.
    ///   - port: The port every returned address carries.
    /// - Returns: The addresses; empty when the name does not resolve (the reason is not kept, as
    ///   `getaddrinfo` reports `EAI_*` codes rather than `errno`).
    package static func resolve(hostName: String, port: UInt16) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = CInt(SOCK_STREAM.rawValue)
        // No AI_ADDRCONFIG: glibc ignores loopback when deciding which families are configured, so a host
        // with only loopback addresses (test containers) would get no answer for "localhost".
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(hostName, nil, &hints, &list) == 0, let first = list else {
            return []
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            cursor = entry.pointee.ai_next
            guard let source = entry.pointee.ai_addr else { continue }
            let length = Int(entry.pointee.ai_addrlen)
            let address = try? SocketAddress.fromKernel(function: "getaddrinfo") { destination, destinationLength in
                // ai_addrlen is at most sizeof(sockaddr_in6), well within the sockaddr_storage being filled.
                let copied = min(length, Int(destinationLength.pointee))
                memcpy(destination, source, copied)
                destinationLength.pointee = socklen_t(copied)
                return 0
            }
            if let address = address?.withPort(port), !addresses.contains(address) {
                addresses.append(address)
            }
        }
        return addresses
    }
}
