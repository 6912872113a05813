internal import CLinux
import Glibc

/// Process-wide signal set-up for servers.
package enum Signals {
    /// Ignores `SIGPIPE`, so writing to a socket whose peer has gone returns `EPIPE` instead of killing the process.
    package static func ignoreSIGPIPE() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Blocks `signals` on the calling thread; threads created afterwards inherit the mask. Call on the main
    /// thread before starting any loop so `SIGTERM`/`SIGINT` reach only a ``SignalSource``'s signalfd.
    /// - Throws: ``SystemError`` from `pthread_sigmask`.
    package static func blockOnCurrentThread(_ signals: [CInt]) throws {
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in signals {
            sigaddset(&mask, signal)
        }
        let result = pthread_sigmask(SIG_BLOCK, &mask, nil)
        if result != 0 {
            throw SystemError(errno: result, function: "pthread_sigmask")
        }
    }

    /// Whether `signal`'s disposition is currently "ignore".
    package static func isIgnored(_ signal: CInt) -> Bool {
        var action = sigaction()
        sigaction(signal, nil, &action)
        // SIG_IGN is the function-pointer value 1; C function pointers are not Equatable in Swift.
        let handler = unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
        return handler == unsafeBitCast(SIG_IGN, to: Int.self)
    }
}
