import HTTPCore
import SystemIO
import TLS

/// One accepted connection: TLS handshake (optional), HTTP/1.1 requests one at a time, timeouts.
///
/// Loop-confined: every method runs on `loop`'s thread. Readiness is level-triggered, so the interest set
/// always says exactly what the connection is waiting for: readable while it needs request bytes, writable
/// while response bytes (or a TLS write) are pending, nothing while a pooled responder works.
final class HTTPServerConnection: EventHandler {
    private let loop: EventLoop
    private let socket: Socket
    private let transport: ConnectionTransport
    private let shared: HTTPServerShared
    private let scratch: ScratchBuffer
    private let peer: String
    private var tlsMachine: TLSConnectionStateMachine?
    private var http: HTTPConnectionStateMachine
    private var parser: HTTPRequestParser
    private var inbound = ByteBuffer()
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var requestStarted: UInt64 = 0
    private var isResponding = false
    private var isAwaitingResponder = false
    private var closeAfterFlush = false
    private var isClosed = false
    private var isDraining = false
    private var timer: TimerID?
    private var timerDeadline: UInt64?
    private var interest: EventSet = .readable
    /// TLS asked for the socket to be writable to finish a read (or readable to finish a write).
    private var readWantsWrite = false
    private var writeWantsRead = false

    init(
        loop: EventLoop,
        socket: Socket,
        tls: TLSConnection?,
        shared: HTTPServerShared,
        scratch: ScratchBuffer,
        peer: String
    ) {
        let now = Deadline.now().uptimeNanoseconds
        self.loop = loop
        self.socket = socket
        self.transport = ConnectionTransport(socket: socket, tls: tls)
        self.shared = shared
        self.scratch = scratch
        self.peer = peer
        self.http = HTTPConnectionStateMachine(configuration: shared.configuration.timeouts, now: now)
        self.parser = HTTPRequestParser(limits: shared.configuration.limits)
        if tls != nil {
            tlsMachine = TLSConnectionStateMachine(handshakeTimeout: shared.configuration.handshakeTimeout, now: now)
        }
    }

    func start() throws {
        try loop.register(self, descriptor: socket.fileDescriptor, interest: .readable)
        rearmTimer()
    }

    // MARK: - EventHandler

    func readable() { drive() }
    func writable() { drive() }
    func hangup() { drive() }

    /// Closes an idle connection now, or makes the current response the last one.
    func drain() {
        isDraining = true
        if !isResponding && !isAwaitingResponder && inbound.readableBytes == 0 && head == nil {
            sendCloseNotifyAndClose()
        }
    }

    /// Closes the connection at once (end of a shutdown's grace period).
    func forceClose() {
        close()
    }

    // MARK: - Driving

    private func drive() {
        guard !isClosed else { return }
        if let machine = tlsMachine, case .handshaking = machine.state {
            guard advanceHandshake() else { return }
        }
        if !outbound.isEmpty {
            guard flush() else { return }
        }
        if !isAwaitingResponder && !isResponding && !closeAfterFlush {
            readAvailable()
            guard !isClosed else { return }
            processInbound()
        }
        guard !isClosed else { return }
        updateInterest()
        rearmTimer()
    }

    /// Returns true once the handshake is complete.
    private func advanceHandshake() -> Bool {
        guard let tls = transport.tls, var machine = tlsMachine else { return true }
        let action = machine.handshakeResult(tls.handshake(), now: Deadline.now().uptimeNanoseconds)
        tlsMachine = machine
        switch action {
        case .handshakeCompleted, .none:
            return true
        case .wait(let want):
            setInterest(want == .read ? .readable : .writable)
            rearmTimer()
            return false
        case .close(let reason):
            shared.metrics.recordHandshakeFailure(Self.handshakeFailureName(reason, tls: tls))
            close()
            return false
        case .sendCloseNotify:
            close()
            return false
        }
    }

    private static func handshakeFailureName(
        _ reason: TLSConnectionStateMachine.CloseReason,
        tls: TLSConnection
    ) -> String {
        switch reason {
        case .handshakeTimedOut: "timeout"
        case .peerClosed: "peer_closed"
        default: tls.serverName == nil ? "no_sni_or_protocol" : "handshake_failed"
        }
    }

    private func readAvailable() {
        // Bound the bytes buffered ahead of the parser: a pipelining client cannot make us hold more than
        // the header and body limits allow.
        let cap = shared.configuration.limits.headerBytes + shared.configuration.limits.bodyBytes + 65_536
        while inbound.readableBytes < cap {
            let result = scratch.bytes.withUnsafeMutableBytes { transport.read(into: $0) }
            switch result {
            case .data(let count):
                inbound.append(contentsOf: scratch.bytes[0..<count])
                http.bytesReceived(now: Deadline.now().uptimeNanoseconds)
                // A short read drained the socket; level-triggered epoll reports anything that arrives later,
                // so skip the read that would only return EAGAIN (unless TLS buffered bytes epoll cannot see).
                if count < scratch.bytes.count && !(transport.tls?.hasBufferedInput ?? false) {
                    readWantsWrite = false
                    return
                }
            case .wouldBlock(let wantsWrite):
                readWantsWrite = wantsWrite
                return
            case .endOfStream, .failed:
                // A peer that closes between requests is done; mid-request it simply goes away.
                close()
                return
            }
        }
    }

    private func processInbound() {
        while !isClosed && !isResponding && !isAwaitingResponder && !closeAfterFlush {
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next(from: &inbound)
            } catch {
                respondToParseError(error)
                return
            }
            guard let event else { break }
            switch event {
            case .head(let received):
                head = received
                body.removeAll(keepingCapacity: true)
                requestStarted = Deadline.now().uptimeNanoseconds
                http.headReceived(keepAlive: received.keepAlive, now: requestStarted)
            case .body(let chunk):
                body.append(contentsOf: chunk)
            case .end:
                guard let head else { continue }
                http.requestReceived(keepAlive: head.keepAlive)
                dispatch(head)
            }
        }
        if inbound.readerIndex > 4096 { inbound.discardReadBytes() }
    }

    private func dispatch(_ head: HTTPRequestHead) {
        let request = HTTPRequest(
            head: head,
            body: body,
            remoteAddress: peer,
            serverName: transport.tls?.serverName.map(TLSContext.normalizedServerName)
        )
        switch shared.execution {
        case .inline:
            isResponding = true
            enqueue(shared.responder.respond(to: request), for: head)
        case .pool(let pool):
            isAwaitingResponder = true
            setInterest([])
            let responder = shared.responder
            let bound = LoopBound(self, loop: loop)
            let loop = self.loop
            pool.submit {
                let response = responder.respond(to: request)
                loop.execute {
                    bound.value.responderFinished(response, for: head)
                }
            }
        }
    }

    private func responderFinished(_ response: HTTPResponse, for head: HTTPRequestHead) {
        isAwaitingResponder = false
        guard !isClosed else { return }
        isResponding = true
        enqueue(response, for: head)
        drive()
    }

    private func respondToParseError(_ error: HTTPParseError) {
        http.requestFailed()
        var response = HTTPResponse(status: error.status)
        response.fields.set(.contentType, "text/plain; charset=utf-8")
        response.body = Array("\(error.status.code) \(error.status.reasonPhrase)\n".utf8)
        closeAfterFlush = true
        isResponding = true
        write(response, isHead: false, keepAlive: false, method: "-", path: "-", host: "-")
    }

    private func enqueue(_ response: HTTPResponse, for head: HTTPRequestHead) {
        let keepAlive = head.keepAlive && !isDraining && !response.fields.containsToken("close", for: .connection)
        if !keepAlive { closeAfterFlush = true }
        write(
            response,
            isHead: head.method == .head,
            keepAlive: keepAlive,
            method: head.method.rawValue,
            path: String(head.path),
            host: head.fields[.host] ?? ""
        )
        self.head = nil
    }

    private func write(
        _ response: HTTPResponse,
        isHead: Bool,
        keepAlive: Bool,
        method: String,
        path: String,
        host: String
    ) {
        var fields = response.fields
        fields.set(.date, scratch.date())
        if let server = shared.configuration.serverName { fields.set(.server, server) }
        if keepAlive { fields.remove(.connection) } else { fields.set(.connection, "close") }
        let before = outbound.count
        HTTPResponseHead(status: response.status, fields: fields)
            .writeResponse(body: response.body, isHeadRequest: isHead, into: &outbound)
        shared.metrics.recordResponse(status: response.status.code)
        if let accessLog = shared.accessLog {
            let now = Deadline.now().uptimeNanoseconds
            accessLog(
                AccessLogEntry(
                    host: host,
                    method: method,
                    path: path,
                    status: response.status.code,
                    bytes: outbound.count - before,
                    microseconds: requestStarted > 0 && now > requestStarted ? Int((now - requestStarted) / 1000) : 0,
                    tlsVersion: transport.tls?.negotiatedProtocolVersion,
                    clientAddress: peer
                )
            )
        }
        _ = flush()
    }

    /// Writes pending bytes; returns true when everything was written.
    @discardableResult
    private func flush() -> Bool {
        while outboundOffset < outbound.count {
            let result = outbound.withUnsafeBytes { buffer in
                transport.write(UnsafeRawBufferPointer(rebasing: buffer[outboundOffset...]))
            }
            switch result {
            case .wrote(let count):
                writeWantsRead = false
                outboundOffset += count
                http.bytesSent(now: Deadline.now().uptimeNanoseconds)
            case .wouldBlock(let wantsRead):
                writeWantsRead = wantsRead
                updateInterest()
                rearmTimer()
                return false
            case .failed:
                close()
                return false
            }
        }
        outbound.removeAll(keepingCapacity: outbound.capacity <= 65_536)
        outboundOffset = 0
        responseFlushed()
        return true
    }

    private func responseFlushed() {
        guard isResponding else { return }
        isResponding = false
        let action = http.responseSent(now: Deadline.now().uptimeNanoseconds)
        if closeAfterFlush || action != .none {
            sendCloseNotifyAndClose()
        }
    }

    // MARK: - Interest, timers, closing

    private func updateInterest() {
        if !outbound.isEmpty {
            setInterest(writeWantsRead ? .readable : .writable)
        } else if isAwaitingResponder {
            setInterest([])
        } else {
            setInterest(readWantsWrite ? .writable : .readable)
        }
    }

    private func setInterest(_ newInterest: EventSet) {
        guard !isClosed, newInterest != interest else { return }
        interest = newInterest
        try? loop.modify(descriptor: socket.fileDescriptor, interest: newInterest)
    }

    private func rearmTimer() {
        guard !isClosed else { return }
        var deadline = http.nextDeadline
        if let handshake = tlsMachine?.handshakeDeadline { deadline = min(deadline ?? .max, handshake) }
        guard deadline != timerDeadline else { return }
        if let timer { _ = loop.cancelTimer(timer) }
        timer = nil
        timerDeadline = deadline
        guard let deadline else { return }
        timer = loop.scheduleTimer(deadline: Deadline(uptimeNanoseconds: deadline)) { [weak self] in
            self?.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        guard !isClosed else { return }
        let now = Deadline.now().uptimeNanoseconds
        if var machine = tlsMachine, case .handshaking = machine.state {
            let action = machine.timerFired(now: now)
            tlsMachine = machine
            if case .close = action {
                shared.metrics.recordHandshakeFailure("timeout")
                close()
                return
            }
        }
        switch http.tick(now: now) {
        case .none:
            rearmTimer()
        case .sendTimeoutResponse(let status):
            guard !isResponding else { return close() }
            closeAfterFlush = true
            isResponding = true
            var response = HTTPResponse(status: status)
            response.fields.set(.contentType, "text/plain; charset=utf-8")
            response.body = Array("\(status.code) \(status.reasonPhrase)\n".utf8)
            write(response, isHead: false, keepAlive: false, method: "-", path: "-", host: "-")
            if !isClosed { updateInterest() }
        case .close:
            close()
        }
    }

    private func sendCloseNotifyAndClose() {
        if let tls = transport.tls { _ = tls.shutdown() }
        close()
    }

    private func close() {
        guard !isClosed else { return }
        isClosed = true
        if let timer { _ = loop.cancelTimer(timer) }
        timer = nil
        try? loop.deregister(descriptor: socket.fileDescriptor)
        try? socket.close()
        shared.metrics.connectionClosed()
        shared.registry(for: loop)?.remove(self)
    }
}
