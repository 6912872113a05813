@testable import TLS

/// Drives a client and a server `TLSConnection` in memory, moving bytes between their BIO pairs (NIOSSL style).
struct InMemoryPair {
    let client: TLSConnection
    let server: TLSConnection
    private var toServer: [UInt8] = []
    private var toClient: [UInt8] = []

    init(client: TLSContext, server: TLSContext, serverName: String?) throws {
        self.client = try TLSConnection(memoryWithContext: client, serverName: serverName)
        self.server = try TLSConnection(memoryWithContext: server)
    }

    /// Moves pending bytes both ways; returns whether anything moved.
    mutating func transfer() -> Bool {
        toServer += client.readOutbound()
        toClient += server.readOutbound()
        var moved = false
        if !toServer.isEmpty {
            let accepted = server.writeInbound(toServer)
            toServer.removeFirst(accepted)
            moved = moved || accepted > 0
        }
        if !toClient.isEmpty {
            let accepted = client.writeInbound(toClient)
            toClient.removeFirst(accepted)
            moved = moved || accepted > 0
        }
        return moved
    }

    /// Runs both handshakes until each completes or fails and no bytes are left in flight.
    mutating func handshake() -> (client: TLSOperationResult<Void>, server: TLSOperationResult<Void>) {
        var clientResult: TLSOperationResult<Void> = .incomplete(.read)
        var serverResult: TLSOperationResult<Void> = .incomplete(.read)
        for _ in 0..<100 {
            if case .incomplete = clientResult { clientResult = client.handshake() }
            let movedFirst = transfer()
            if case .incomplete = serverResult { serverResult = server.handshake() }
            let movedSecond = transfer()
            let clientDone = { if case .incomplete = clientResult { return false } else { return true } }()
            let serverDone = { if case .incomplete = serverResult { return false } else { return true } }()
            if !movedFirst && !movedSecond && (clientDone || serverDone) && toServer.isEmpty && toClient.isEmpty {
                if clientDone && serverDone { break }
                // One side finished; give the other one more chance to consume what arrived.
                if !clientDone { clientResult = client.handshake() }
                if !serverDone { serverResult = server.handshake() }
                if !transfer() { break }
            }
        }
        return (clientResult, serverResult)
    }

    /// Sends `bytes` from `sender` to the other side and reads them there.
    mutating func send(_ bytes: [UInt8], fromClient: Bool) -> [UInt8] {
        let sender = fromClient ? client : server
        let receiver = fromClient ? server : client
        var offset = 0
        var received: [UInt8] = []
        for _ in 0..<10_000 where received.count < bytes.count {
            if offset < bytes.count, case .complete(let count) = sender.write(Array(bytes[offset...])) {
                offset += count
            }
            _ = transfer()
            while case .complete(let chunk) = receiver.read(maximumCount: 65_536), !chunk.isEmpty {
                received += chunk
            }
            _ = transfer()
        }
        return received
    }

    /// Lets the client process post-handshake messages (TLS 1.3 NewSessionTicket).
    mutating func deliverTickets() {
        _ = transfer()
        _ = client.read(maximumCount: 1)
        _ = transfer()
    }
}

extension TLSOperationResult {
    var isComplete: Bool {
        if case .complete = self { return true }
        return false
    }
}
