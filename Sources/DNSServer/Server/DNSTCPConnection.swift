import DNS
import SystemIO

/// One accepted DNS-over-TCP connection's I/O shell: it executes the actions of its
/// ``DNSTCPConnectionStateMachine`` (reads, answers, writes, the interest set, the one timer, closing) and feeds the
/// outcomes back as events.
///
/// Loop-confined: every method runs on the context's loop thread. Responses are framed with their two-byte length
/// (RFC 1035 §4.2.2) into one outbound buffer, written as the socket accepts them.
final class DNSTCPConnection: EventHandler {
    private typealias Machine = DNSTCPConnectionStateMachine

    private let socket: Socket
    private let context: DNSServerLoopContext
    private let shared: DNSServerShared
    private var machine: Machine
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var timer: TimerID?
    private var timerDeadline: UInt64?
    private var isClosed = false

    init(socket: Socket, context: DNSServerLoopContext, shared: DNSServerShared) {
        self.socket = socket
        self.context = context
        self.shared = shared
        self.machine = Machine(limits: shared.configuration.tcpLimits, now: Self.now)
    }

    private static var now: UInt64 { Deadline.now().uptimeNanoseconds }

    /// Arms the idle timer; call once the descriptor is registered.
    func start() {
        execute(machine.start(now: Self.now))
    }

    // MARK: - Events

    /// The socket is readable.
    func readable() {
        execute(machine.readable(now: Self.now))
    }

    /// The socket is writable.
    func writable() {
        execute(machine.writable(now: Self.now))
    }

    /// The socket hung up or failed.
    func hangup() {
        execute(machine.hangup(now: Self.now))
    }

    /// The server is shutting down: finish what is queued, then close.
    func drain() {
        execute(machine.shutdownRequested(now: Self.now))
    }

    /// The shutdown grace period ended: close now.
    func forceClose() {
        execute(machine.abort())
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        execute(machine.timerFired(now: Self.now))
    }

    // MARK: - Executing actions

    /// Runs actions until the machine waits for the loop or closes.
    private func execute(_ first: Machine.Action) {
        guard !isClosed else { return }
        var action = first
        while true {
            switch action {
            case .read:
                action = machine.readResult(read(), buffer: context.scratch, now: Self.now)
            case .answer(let query):
                action = machine.responseQueued(byteCount: answer(query), now: Self.now)
            case .write:
                action = machine.writeResult(writePending(), now: Self.now)
            case .wait(let interest, let deadline):
                wait(interest: interest, deadline: deadline)
                return
            case .close(let reason):
                close(reason)
                return
            }
        }
    }

    private func read() -> Machine.ReadResult {
        let result = try? context.scratch.withUnsafeMutableBytes { try socket.read(into: $0) }
        switch result {
        case .processed(0)?: return .endOfStream
        case .processed(let count)?: return .data(count: count)
        case .wouldBlock?: return .wouldBlock
        case nil: return .failed
        }
    }

    /// Answers one message and queues the framed response; the framed size, or nil when there is no response.
    private func answer(_ query: [UInt8]) -> Int? {
        let metrics = shared.metrics
        switch shared.responder.respond(to: query, over: .tcp, content: context.content) {
        case .drop(let reason):
            metrics.recordQuery(over: .tcp, type: nil)
            metrics.recordUnanswered(reason)
            return nil
        case .respond(let response):
            metrics.recordQuery(over: .tcp, type: response.queryType)
            metrics.recordResponse(response, over: .tcp, isSlip: false)
            // The responder keeps TCP responses within 65535 bytes, so the length fits the prefix.
            let length = response.bytes.count
            outbound.append(UInt8(truncatingIfNeeded: length >> 8))
            outbound.append(UInt8(truncatingIfNeeded: length))
            outbound.append(contentsOf: response.bytes)
            return length + 2
        }
    }

    private func writePending() -> Machine.WriteResult {
        let result = try? outbound.withUnsafeBytes { buffer in
            try socket.write(UnsafeRawBufferPointer(rebasing: buffer[outboundOffset...]))
        }
        switch result {
        case .processed(let count)?:
            outboundOffset += count
            if outboundOffset == outbound.count {
                outbound.removeAll(keepingCapacity: outbound.capacity <= 65536)
                outboundOffset = 0
            }
            return .wrote(count)
        case .wouldBlock?:
            return .wouldBlock
        case nil:
            return .failed
        }
    }

    private func wait(interest: EventSet, deadline: UInt64) {
        try? context.loop.modify(descriptor: socket.fileDescriptor, interest: interest)
        guard deadline != timerDeadline else { return }
        if let timer {
            context.loop.cancelTimer(timer)
        }
        timerDeadline = deadline
        timer = context.loop.scheduleTimer(deadline: Deadline(uptimeNanoseconds: deadline)) { [weak self] in
            self?.timerFired()
        }
    }

    private func close(_ reason: Machine.CloseReason) {
        isClosed = true
        if let timer {
            context.loop.cancelTimer(timer)
        }
        timer = nil
        try? context.loop.deregister(descriptor: socket.fileDescriptor)
        try? socket.close()
        context.remove(self)
        shared.connectionClosed(reason)
    }
}
