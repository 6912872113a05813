internal import CLinux
import Glibc

/// Delivers signals (e.g. `SIGTERM`, `SIGINT`) as callbacks on an event loop through a signalfd.
///
/// ```swift
/// Signals.ignoreSIGPIPE()
/// try Signals.blockOnCurrentThread([SIGTERM, SIGINT])   // on main, before any thread starts
/// loop.execute { _ = try? SignalSource(signals: [SIGTERM, SIGINT], on: loop) { _ in server.drain() } }
/// ```
///
/// A signalfd only sees signals that are blocked, so the loop thread blocks them too. Loop-thread confined.
package final class SignalSource: EventHandler {
    private let descriptor: FileDescriptor
    private let loop: EventLoop
    private let handler: (CInt) -> Void

    /// Creates the signalfd and registers it; must be called on `loop`'s thread.
    /// - Throws: ``SystemError`` from `pthread_sigmask`, `signalfd` or `epoll_ctl`.
    package init(signals: [CInt], on loop: EventLoop, handler: @escaping (CInt) -> Void) throws {
        try Signals.blockOnCurrentThread(signals)
        self.descriptor = FileDescriptor(rawValue: try Linux.signalfd(signals))
        self.loop = loop
        self.handler = handler
        try loop.register(self, descriptor: descriptor.rawValue, interest: .readable)
    }

    /// Stops delivering signals and closes the signalfd.
    package func cancel() throws {
        try loop.deregister(descriptor: descriptor.rawValue)
        try descriptor.close()
    }

    /// Reads every queued signal and calls the handler for each.
    package func readable() {
        let size = Linux.signalInfoSize
        withUnsafeTemporaryAllocation(byteCount: size, alignment: 8) { record in
            while case .processed(let count)? = try? Posix.read(descriptor.rawValue, into: record), count == size {
                handler(Linux.signalNumber(fromRecord: UnsafeRawBufferPointer(record)))
            }
        }
    }

    /// Signalfds are never written.
    package func writable() {}

    /// A signalfd does not hang up; nothing to do.
    package func hangup() {}
}
