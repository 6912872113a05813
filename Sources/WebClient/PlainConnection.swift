import SystemIO

/// An `http` connection: the non-blocking socket itself.
final class PlainConnection: ClientConnection {
    private let socket: Socket

    /// Takes ownership of a connected, non-blocking socket.
    init(socket: Socket) {
        self.socket = socket
    }

    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        var offset = 0
        while offset < bytes.count {
            let result: IOResult<Int>
            do {
                result = try bytes.withUnsafeBytes { try socket.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            } catch {
                throw HTTPClientError(.connectionFailed, "sending the request failed", underlying: error)
            }
            switch result {
            case .processed(let count): offset += count
            case .wouldBlock: try socket.wait(for: .writable, until: deadline, step: "request to be sent")
            }
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws -> Int {
        while true {
            let result: IOResult<Int>
            do {
                result = try socket.read(into: buffer)
            } catch {
                throw HTTPClientError(.connectionFailed, "reading the response failed", underlying: error)
            }
            switch result {
            case .processed(let count): return count
            case .wouldBlock: try socket.wait(for: .readable, until: deadline, step: "response")
            }
        }
    }

    var tlsDetails: ClientTLSDetails? { nil }

    func close() {
        try? socket.close()
    }
}
