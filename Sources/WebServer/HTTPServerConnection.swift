import HTTPCore
import SystemIO
import TLS

/// One accepted connection's I/O shell: it executes the actions of its ``HTTPServerConnectionStateMachine`` and
/// feeds their outcomes back as events. The machine decides everything else: the handshake, when to read, the order
/// of pipelined requests, keep-alive, timeouts, the interest set and closing.
///
/// Loop-confined: every method runs on `loop`'s thread. Readiness is level-triggered, and the machine keeps the
/// interest set to exactly what the connection waits for. The shell is generic so that the server's own instance,
/// `HTTPServerConnection<SocketTransport, EventLoop>`, is specialised in release builds (no existential calls per
/// event), while tests drive the same shell with a scripted transport and a manual loop.
///
/// ```swift
/// let connection = HTTPServerConnection(
///     loop: loop, transport: SocketTransport(socket: socket, tls: tls), shared: shared, scratch: scratch,
///     peer: ConnectionPeer(text: "203.0.113.7", address: address), registry: registry)
/// try loop.register(connection, descriptor: socket.fileDescriptor, interest: .readable)
/// connection.start()
/// ```
final class HTTPServerConnection<Transport: ConnectionTransport, Loop: ConnectionEventLoop> {
    private typealias Machine = HTTPServerConnectionStateMachine

    private let loop: Loop
    private let transport: Transport
    private let shared: HTTPServerShared
    private let scratch: ScratchBuffer
    private let peer: ConnectionPeer
    private let registry: ConnectionRegistry?
    /// The client a trusted proxy named for the latest dispatched request, or nil when that was the peer itself.
    private var forwardedClientAddress: String?
    private var machine: Machine
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var timer: TimerID?
    /// The virtual host this connection's server name routed it to, once its handshake completed.
    private var routed: HTTPVirtualHost?
    /// The SNI name, normalised, and the TLS version, once the handshake completed (read once, not per request).
    private var serverName: String?
    private var tlsVersion: String?

    /// Creates the shell; the connection's deadlines start now.
    ///
    /// - Parameters:
    ///   - loop: The loop the descriptor is registered with (``HTTPServerConnectionStateMachine/initialInterest``).
    ///   - transport: The accepted socket, through TLS or not.
    ///   - shared: The server's configuration, responder, counters and access log.
    ///   - scratch: The loop's read buffer and `Date` cache.
    ///   - peer: The TCP peer: its address for requests and access logs, whether it is a trusted proxy, and whether
    ///     it holds a per-address slot to release on close.
    ///   - registry: Where the server tracks its open connections; this one removes itself on close.
    init(
        loop: Loop,
        transport: Transport,
        shared: HTTPServerShared,
        scratch: ScratchBuffer,
        peer: ConnectionPeer,
        registry: ConnectionRegistry?
    ) {
        let configuration = shared.configuration
        self.loop = loop
        self.transport = transport
        self.shared = shared
        self.scratch = scratch
        self.peer = peer
        self.registry = registry
        self.machine = Machine(
            limits: configuration.limits,
            timeouts: configuration.timeouts,
            handshakeTimeout: transport.usesTLS ? configuration.handshakeTimeout : nil,
            now: loop.now
        )
    }

    /// Arms the first timer; call once the descriptor is registered.
    func start() {
        execute(machine.start(), now: loop.now)
    }

    // MARK: - Events

    /// The descriptor is readable.
    func readable() {
        execute(machine.transportReady(), now: loop.now)
    }

    /// The descriptor is writable.
    func writable() {
        execute(machine.transportReady(), now: loop.now)
    }

    /// The descriptor hung up or failed.
    func hangup() {
        execute(machine.transportHungUp(), now: loop.now)
    }

    private func timerFired() {
        timer = nil
        let now = loop.now
        execute(machine.timerFired(now: now), now: now)
    }

    private func responderFinished(_ response: HTTPResponse, for head: HTTPRequestHead) {
        let now = loop.now
        guard let action = respond(response, to: head, now: now) else { return }
        execute(action, now: now)
    }

    // MARK: - Executing actions

    /// Runs actions until the machine waits for the loop or closes; `now` is read once per event.
    private func execute(_ first: Machine.Action, now: UInt64) {
        var action = first
        while true {
            switch action {
            case .handshake:
                let result = transport.handshake()
                if case .complete = result {
                    serverName = transport.serverName.map(HostName.normalized)
                    tlsVersion = transport.negotiatedProtocolVersion
                    if let virtualHost = shared.configuration.virtualHost, let serverName,
                        virtualHost.serverNames.contains(serverName)
                    {
                        routed = virtualHost
                        machine.adopt(limits: virtualHost.limits)
                    }
                }
                action = machine.handshakeResult(result, now: now)
            case .read:
                let result = scratch.bytes.withUnsafeMutableBytes { transport.read(into: $0) }
                action = machine.readResult(result, buffer: scratch.bytes, now: now)
            case .dispatch(let head, let body):
                guard let next = dispatch(head, body: body, now: now) else { return }
                action = next
            case .writeErrorResponse(let status):
                var response = HTTPResponse(status: status)
                response.fields.set(.contentType, "text/plain; charset=utf-8")
                response.body = Array("\(status.code) \(status.reasonPhrase)\n".utf8)
                queue(response, keepAlive: false, for: nil)
                action = writePending(now: now)
            case .write:
                action = writePending(now: now)
            case .sendCloseNotify:
                action = machine.closeNotifyResult(transport.sendCloseNotify())
            case .wait(let interest, let deadline):
                if machine.flushesBeforeWaiting, transport.hasUnflushedOutput || machine.isOutputBlocked {
                    switch machine.flushResult(transport.flush()) {
                    case .wait(let changed, let rearmed)?:
                        wait(interest: changed ?? interest, timer: rearmed ?? deadline)
                        return
                    case let other?:
                        action = other
                        continue
                    case nil:
                        break
                    }
                }
                wait(interest: interest, timer: deadline)
                return
            case .close(let reason):
                close(reason)
                return
            }
        }
    }

    /// Runs the responder inline (and starts writing its answer), or on the pool; nil when there is nothing more
    /// to do now.
    private func dispatch(_ head: HTTPRequestHead, body: [UInt8], now: UInt64) -> Machine.Action? {
        if peer.isTrustedProxy {
            let client = shared.configuration.trustedProxies.clientAddress(peer: peer.address, fields: head.fields)
            forwardedClientAddress = client == peer.address ? nil : client.description
        }
        // The request is built in each branch: one built before the switch and captured by the pool's closure was
        // copied (every field retained and released) on the inline path too, which is the edge's.
        if let routed {
            return dispatch(head, body: body, to: routed.responder, on: routed.pool, now: now)
        }
        switch shared.execution {
        case .inline:
            return respond(shared.responder.respond(to: request(head, body: body)), to: head, now: now)
        case .pool(let pool):
            return dispatch(head, body: body, to: shared.responder, on: pool, now: now)
        }
    }

    /// Runs `responder` on `pool` and answers when it returns; overloaded at once when the pool's queue is full.
    private func dispatch(
        _ head: HTTPRequestHead,
        body: [UInt8],
        to responder: any HTTPResponder,
        on pool: BlockingPool,
        now: UInt64
    ) -> Machine.Action? {
        let request = request(head, body: body)
        let bound = LoopBound(self, loop: loop)
        let loop = self.loop
        let queued = pool.trySubmit {
            let response = responder.respond(to: request)
            loop.execute {
                bound.value.responderFinished(response, for: head)
            }
        }
        guard queued else { return respond(shared.configuration.overloadedResponse, to: head, now: now) }
        return machine.responseDeferred()
    }

    /// The request as the responder sees it.
    private func request(_ head: HTTPRequestHead, body: [UInt8]) -> HTTPRequest {
        HTTPRequest(
            head: head,
            body: body,
            remoteAddress: peer.text,
            clientAddress: forwardedClientAddress,
            serverName: serverName
        )
    }

    /// Serializes the responder's answer and starts writing it; nil when the connection closed meanwhile.
    private func respond(_ response: HTTPResponse, to head: HTTPRequestHead, now: UInt64) -> Machine.Action? {
        let closesConnection = response.fields.containsToken("close", for: .connection)
        switch machine.responseReady(closesConnection: closesConnection, now: now) {
        case .send(let keepAlive):
            queue(response, keepAlive: keepAlive, for: head)
            return writePending(now: now)
        case .discard:
            return nil
        }
    }

    /// Appends the response to the outbound bytes with `Date`, `Server` and `Connection`, counts and logs it.
    /// `head` is nil for the machine's own error responses.
    private func queue(_ response: HTTPResponse, keepAlive: Bool, for head: HTTPRequestHead?) {
        let serverFields = HTTPServerFields(
            date: scratch.date(),
            server: shared.configuration.serverName,
            closesConnection: !keepAlive
        )
        let before = outbound.count
        HTTPResponseHead(status: response.status, fields: response.fields).writeResponse(
            body: response.body,
            isHeadRequest: head?.method == .head,
            serverFields: serverFields,
            into: &outbound
        )
        shared.metrics.recordResponse(status: response.status.code)
        guard scratch.logsAccess else { return }
        let now = loop.now
        let started = machine.requestStartTime
        scratch.log(
            AccessLogEntry(
                host: head.map { $0.fields[.host] ?? "" } ?? "-",
                method: head?.method.rawValue ?? "-",
                path: head?.path ?? "-",
                status: response.status.code,
                bytes: outbound.count - before,
                microseconds: started > 0 && now > started ? Int((now - started) / 1000) : 0,
                tlsVersion: tlsVersion,
                // The machine's own errors come before any head could name a client: a proxy may be relaying
                // another client's bytes by now.
                clientAddress: head == nil ? peer.text : forwardedClientAddress ?? peer.text
            )
        )
    }

    /// Writes once from the outbound bytes and reports the result. Once they are all written, TLS records still
    /// buffered are flushed before the connection waits for the client; a connection that closes next appends
    /// its close_notify first, so the response and close_notify leave together.
    private func writePending(now: UInt64) -> Machine.Action {
        var result = outbound.withUnsafeBytes { buffer in
            transport.write(UnsafeRawBufferPointer(rebasing: buffer[outboundOffset...]))
        }
        if case .wrote(let count) = result { outboundOffset += count }
        var pending = outbound.count - outboundOffset
        if pending == 0 {
            outbound.removeAll(keepingCapacity: outbound.capacity <= 65_536)
            outboundOffset = 0
            if case .wrote = result, transport.hasUnflushedOutput {
                if machine.closesAfterWriting, transport.usesTLS {
                    // close_notify joins the buffered records; its own step later finds it sent.
                    _ = transport.sendCloseNotify()
                }
                result = transport.flush()
                // Bytes still buffered keep the write going: the machine waits for the socket to drain.
                if case .wouldBlock = result { pending = 1 }
            }
        }
        return machine.writeResult(result, pendingBytes: pending, now: now)
    }

    private func wait(interest: EventSet?, timer deadline: UInt64?) {
        if let interest {
            try? loop.modify(descriptor: transport.descriptor, interest: interest)
        }
        guard let deadline else { return }
        if let timer { loop.cancelTimer(timer) }
        timer = loop.scheduleTimer(deadline: Deadline(uptimeNanoseconds: deadline)) { [weak self] in
            self?.timerFired()
        }
    }

    private func close(_ reason: Machine.CloseReason) {
        if case .handshakeFailed(let failure) = reason {
            shared.metrics.recordHandshakeFailure(Self.handshakeFailureName(failure, serverName: transport.serverName))
        }
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        // Best effort, never waited for: a fatal alert OpenSSL wrote for a failed handshake (unrecognized_name for
        // a host without a certificate) tells the client why.
        if transport.hasUnflushedOutput { _ = transport.flush() }
        try? loop.deregister(descriptor: transport.descriptor)
        transport.close()
        shared.connectionClosed(peer)
        registry?.remove(self)
    }

    private static func handshakeFailureName(
        _ reason: TLSConnectionStateMachine.CloseReason,
        serverName: String?
    ) -> String {
        switch reason {
        case .handshakeTimedOut: "timeout"
        case .peerClosed: "peer_closed"
        default: serverName == nil ? "no_sni_or_protocol" : "handshake_failed"
        }
    }
}

// MARK: - Shutdown

extension HTTPServerConnection: DrainableConnection {
    /// Closes the connection now if it is idle, otherwise after its current response.
    func drain() {
        execute(machine.shutdownRequested(), now: loop.now)
    }

    /// Closes the connection at once (end of a shutdown's grace period).
    func forceClose() {
        execute(machine.abort(), now: loop.now)
    }
}

// MARK: - Readiness from the server's own loop

/// Only the server's concrete instance is an ``EventHandler``: the loop calls it through these witnesses, which
/// are compiled for `SocketTransport` and `EventLoop`, so everything they call is specialised.
extension HTTPServerConnection: EventHandler where Transport == SocketTransport, Loop == EventLoop {}
