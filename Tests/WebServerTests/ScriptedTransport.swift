import SystemIO
import TLS

@testable import WebServer

/// A ``ConnectionTransport`` that replays scripted results and records what the connection did with it.
final class ScriptedTransport: ConnectionTransport {
    /// One scripted read.
    enum Read {
        /// These bytes arrive; `isDrained` as a short read with nothing buffered in TLS would report.
        case bytes(String, isDrained: Bool = true)
        case wouldBlock(wantsWrite: Bool = false)
        case endOfStream
        case failed
    }

    /// One scripted write.
    enum Write {
        /// At most this many bytes are taken.
        case accept(upTo: Int)
        case wouldBlock(wantsRead: Bool = false)
        case failed
    }

    let usesTLS: Bool
    var serverName: String?
    /// Handshake results in order; `.incomplete(.read)` once they run out.
    var handshakes: [TLSOperationResult<Void>] = []
    /// Read results in order; `.wouldBlock` once they run out.
    var reads: [Read] = []
    /// Write results in order; once they run out, every write takes everything.
    var writes: [Write] = []
    private(set) var readCount = 0
    private(set) var written: [UInt8] = []
    private(set) var closeNotifyCount = 0
    private(set) var isClosed = false

    init(usesTLS: Bool = false, serverName: String? = nil) {
        self.usesTLS = usesTLS
        self.serverName = serverName
    }

    /// Everything written so far, as text.
    var text: String { String(decoding: written, as: UTF8.self) }

    var descriptor: CInt { 7 }
    var negotiatedProtocolVersion: String? { usesTLS ? "TLSv1.3" : nil }

    func handshake() -> TLSOperationResult<Void> {
        handshakes.isEmpty ? .incomplete(.read) : handshakes.removeFirst()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportRead {
        readCount += 1
        guard !reads.isEmpty else { return .wouldBlock(wantsWrite: false) }
        switch reads.removeFirst() {
        case .bytes(let text, let isDrained):
            let bytes = Array(text.utf8)
            precondition(bytes.count <= buffer.count, "scripted read larger than the read buffer")
            buffer.copyBytes(from: bytes)
            return .data(count: bytes.count, isDrained: isDrained)
        case .wouldBlock(let wantsWrite):
            return .wouldBlock(wantsWrite: wantsWrite)
        case .endOfStream:
            return .endOfStream
        case .failed:
            return .failed
        }
    }

    func write(_ buffer: UnsafeRawBufferPointer) -> TransportWrite {
        precondition(!isClosed, "write after close")
        guard !writes.isEmpty else {
            written.append(contentsOf: buffer)
            return .wrote(buffer.count)
        }
        switch writes.removeFirst() {
        case .accept(let limit):
            let count = min(limit, buffer.count)
            written.append(contentsOf: buffer.prefix(count))
            return .wrote(count)
        case .wouldBlock(let wantsRead):
            return .wouldBlock(wantsRead: wantsRead)
        case .failed:
            return .failed
        }
    }

    func sendCloseNotify() -> TLSOperationResult<Void> {
        closeNotifyCount += 1
        return .complete(())
    }

    /// Bytes held for ``flush()``, as a deferred-write TLS transport holds a handshake flight (set by the test;
    /// writes themselves are never held).
    var unflushedBytes = 0
    /// Flush results in order; once they run out, a flush empties the buffer.
    var flushes: [TransportWrite] = []
    private(set) var flushCount = 0

    var hasUnflushedOutput: Bool { unflushedBytes > 0 }

    func flush() -> TransportWrite {
        flushCount += 1
        let result = flushes.isEmpty ? .wrote(0) : flushes.removeFirst()
        if case .wrote = result { unflushedBytes = 0 }
        return result
    }

    func close() {
        isClosed = true
    }
}
