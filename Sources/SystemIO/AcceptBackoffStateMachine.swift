import Glibc

/// What a listener does when `accept` fails, as a pure state machine: go on to the next connection, or stop
/// watching the listener for a while.
///
/// Readiness is level-triggered, so a listener whose `accept` keeps failing stays readable and would be retried on
/// every loop iteration, burning a core while achieving nothing. Two kinds of failure are told apart:
/// - the pending connection's own error (`ECONNABORTED`, and the network errors Linux's accept(2) says to treat
///   like `EAGAIN`: `ENETDOWN`, `EPROTO`, `ENOPROTOOPT`, `EHOSTDOWN`, `ENONET`, `EHOSTUNREACH`, `EOPNOTSUPP`,
///   `ENETUNREACH`, and `EPERM` from a firewall rule): that connection is gone, the next one may be fine;
/// - everything else, above all running out of descriptors or memory (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`):
///   the connection stays queued and the next attempt fails the same way until something is released. The
///   shell stops watching the listener and resumes at the deadline: 100 ms, then twice as long after each failed
///   retry up to 1 s. An episode starts with the first such failure and ends with the next accepted connection;
///   the shell logs its start and its end, never each failure.
///
/// ```swift
/// var backoff = AcceptBackoffStateMachine()
/// switch backoff.acceptFailed(errno: error.errno, now: now) {
/// case .acceptNext: continue
/// case .pause(let until, let startsEpisode): stopWatching(); resume(at: until); if startsEpisode { log() }
/// }
/// ```
package struct AcceptBackoffStateMachine: Sendable {
    /// The pauses, in nanoseconds.
    package struct Configuration: Sendable, Hashable {
        /// The first pause of an episode.
        package var initialPause: UInt64
        /// The longest pause; each failed retry doubles the pause up to this.
        package var maximumPause: UInt64

        /// Creates a configuration; the defaults are 100 ms and 1 s.
        package init(initialPause: UInt64 = 100_000_000, maximumPause: UInt64 = 1_000_000_000) {
            self.initialPause = initialPause
            self.maximumPause = max(initialPause, maximumPause)
        }
    }

    /// What the shell should do after a failed `accept`.
    package enum Action: Sendable, Hashable {
        /// The failure belonged to one connection, which the kernel has dropped: accept the next one.
        case acceptNext
        /// Stop watching the listener and watch it again at `until` (monotonic nanoseconds). `startsEpisode` on
        /// the first pause since a connection was last accepted: the moment to log.
        case pause(until: UInt64, startsEpisode: Bool)
    }

    /// A finished episode of failures, for the log line that ends it.
    package struct Episode: Sendable, Hashable {
        /// How long it lasted, from the first failure to the accepted connection, in nanoseconds.
        package var duration: UInt64
        /// How many times `accept` failed during it.
        package var failures: Int
    }

    /// The pauses in force.
    package let configuration: Configuration
    private var episodeStart: UInt64?
    private var failures = 0
    private var nextPause: UInt64

    /// Creates the machine for a listener that accepts normally.
    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        nextPause = configuration.initialPause
    }

    /// Whether an episode of failures is under way.
    package var isBackingOff: Bool { episodeStart != nil }

    /// `accept` failed with `errno` at `now`.
    package mutating func acceptFailed(errno: CInt, now: UInt64) -> Action {
        if Self.isConnectionError(errno) { return .acceptNext }
        let startsEpisode = episodeStart == nil
        if startsEpisode { episodeStart = now }
        failures += 1
        let pause = nextPause
        nextPause = min(configuration.maximumPause, pause.multipliedReportingOverflow(by: 2).partialValue)
        let (until, overflow) = now.addingReportingOverflow(pause)
        return .pause(until: overflow ? .max : until, startsEpisode: startsEpisode)
    }

    /// A connection was accepted at `now`.
    /// - Returns: The episode this ends, or nil when none was under way.
    package mutating func accepted(now: UInt64) -> Episode? {
        guard let start = episodeStart else { return nil }
        let episode = Episode(duration: now > start ? now - start : 0, failures: failures)
        episodeStart = nil
        failures = 0
        nextPause = configuration.initialPause
        return episode
    }

    /// Whether `errno` from accept(2) belongs to the dequeued connection rather than to the listener or the process.
    package static func isConnectionError(_ errno: CInt) -> Bool {
        switch errno {
        case ECONNABORTED, EPERM, ENETDOWN, EPROTO, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH, EOPNOTSUPP,
            ENETUNREACH:
            true
        default:
            false
        }
    }
}
