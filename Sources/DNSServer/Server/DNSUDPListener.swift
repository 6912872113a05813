import DNS
import Logging
import Synchronization
import SystemIO

/// Answers the datagrams of one UDP socket on one loop.
///
/// Level-triggered: each readable event handles a bounded batch, so one busy socket cannot starve the loop's other
/// descriptors, and whatever is left is reported again on the next iteration. Datagrams land in the loop's scratch
/// buffer (no allocation for the receive itself); responses the kernel will not take right away are dropped, as
/// UDP allows, and counted.
final class DNSUDPListener: EventHandler {
    /// Datagrams handled per readable event.
    private static let batchSize = 64

    private let socket: DatagramSocket
    private let context: DNSServerLoopContext
    private let shared: DNSServerShared

    init(socket: DatagramSocket, context: DNSServerLoopContext, shared: DNSServerShared) {
        self.socket = socket
        self.context = context
        self.shared = shared
    }

    /// Receives and answers up to a batch of queued datagrams.
    func readable() {
        for _ in 0..<Self.batchSize {
            let received: IOResult<(count: Int, peer: SocketAddress)>
            do {
                received = try context.scratch.withUnsafeMutableBytes { try socket.receive(into: $0) }
            } catch {
                shared.logger.debug("dns udp receive failed", ["error": "\(error)"])
                return
            }
            guard case .processed(let datagram) = received else { return }
            answer(Array(context.scratch[0..<datagram.count]), from: datagram.peer)
        }
    }

    /// UDP sockets are registered for readability only.
    func writable() {}

    /// Nothing to do: errors surface on the next receive.
    func hangup() {}

    private func answer(_ query: [UInt8], from peer: SocketAddress) {
        let outcome = shared.responder.respond(to: query, over: .udp, content: context.content)
        switch outcome {
        case .drop(let reason):
            shared.metrics.recordQuery(over: .udp, type: nil)
            shared.metrics.recordUnanswered(reason)
        case .respond(let response):
            shared.metrics.recordQuery(over: .udp, type: response.queryType)
            let now = shared.now()
            let decision = shared.rateLimiter.withLock { $0.decide(for: peer, now: now) }
            shared.metrics.recordRateLimited(decision)
            switch decision {
            case .respond:
                send(response, to: peer, isSlip: false)
            case .slip:
                send(shared.responder.truncated(response), to: peer, isSlip: true)
            case .drop:
                break
            }
        }
    }

    private func send(_ response: AuthoritativeResponse, to peer: SocketAddress, isSlip: Bool) {
        switch try? socket.send(response.bytes, to: peer) {
        case .processed?:
            shared.metrics.recordResponse(response, over: .udp, isSlip: isSlip)
        case .wouldBlock?, nil:
            shared.metrics.recordSendFailure()
        }
    }
}
