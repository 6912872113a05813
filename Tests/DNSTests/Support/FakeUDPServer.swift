import Dispatch
import Foundation
import Glibc
import Synchronization

@testable import DNS

/// A DNS server on a loopback UDP port that answers each query with whatever datagrams `respond` returns,
/// in order (an empty list means stay silent). Used to feed the real socket transport spoofed replies.
final class FakeUDPServer: Sendable {
    let address: DNSServerAddress
    private let descriptor: Int32
    private let isStopping = Mutex(false)
    private let exited = DispatchSemaphore(value: 0)
    private let received = Mutex(0)

    init(ipv6: Bool = false, respond: @escaping @Sendable (DNSMessage) -> [[UInt8]]) throws {
        let family = ipv6 ? AF_INET6 : AF_INET
        descriptor = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw DNSError(.network, "socket: errno \(errno)") }
        var storage = sockaddr_storage()
        var length: socklen_t
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0[15] = 1 }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) {
                $0.copyMemory(from: withUnsafeBytes(of: &address) { UnsafeRawBufferPointer($0) })
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) {
                $0.copyMemory(from: withUnsafeBytes(of: &address) { UnsafeRawBufferPointer($0) })
            }
        }
        let fd = descriptor
        let bound = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Int32 in
                guard bind(fd, raw, length) == 0 else { return -1 }
                return getsockname(fd, raw, &length)
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw DNSError(.network, "bind: errno \(errno)")
        }
        let port = withUnsafeBytes(of: &storage) { raw in
            UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
        }
        address = DNSServerAddress(host: ipv6 ? .v6(.loopback) : .v4(IPv4Address(127, 0, 0, 1)), port: port)
        Thread.detachNewThread { [self] in
            serve(respond)
            exited.signal()
        }
    }

    /// Number of queries received so far.
    var queryCount: Int { received.withLock { $0 } }

    private func serve(_ respond: @Sendable (DNSMessage) -> [[UInt8]]) {
        var buffer = [UInt8](repeating: 0, count: 65535)
        while !isStopping.withLock({ $0 }) {
            var descriptorEvents = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptorEvents, 1, 20) > 0 else { continue }
            var peer = sockaddr_storage()
            var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &peer) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(descriptor, raw.baseAddress, raw.count, 0, $0, &peerLength)
                    }
                }
            }
            guard count > 0, let query = try? DNSMessage(decoding: Array(buffer[0..<count])) else { continue }
            received.withLock { $0 += 1 }
            for datagram in respond(query) {
                _ = datagram.withUnsafeBytes { raw in
                    withUnsafePointer(to: &peer) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(descriptor, raw.baseAddress, raw.count, 0, $0, peerLength)
                        }
                    }
                }
            }
        }
    }

    /// Stops the serving thread and closes the socket.
    func stop() {
        let wasStopping = isStopping.withLock { stopping in
            defer { stopping = true }
            return stopping
        }
        guard !wasStopping else { return }
        exited.wait()
        close(descriptor)
    }

    deinit {
        stop()
    }
}
