import Glibc
import TestSupport
import Testing

@testable import SystemIO

@Suite struct AcceptBackoffStateMachineTests {
    static let millisecond: UInt64 = 1_000_000

    @Test(arguments: [
        ECONNABORTED, EPERM, EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH,
    ])
    func aConnectionsOwnErrorMovesOnToTheNext(errno: CInt) {
        var machine = AcceptBackoffStateMachine()
        #expect(machine.acceptFailed(errno: errno, now: 1_000) == .acceptNext)
        #expect(!machine.isBackingOff)
        #expect(machine.accepted(now: 2_000) == nil)
    }

    @Test(arguments: [EMFILE, ENFILE, ENOBUFS, ENOMEM, EINVAL, EBADF])
    func runningOutPausesTheListener(errno: CInt) {
        var machine = AcceptBackoffStateMachine()
        #expect(
            machine.acceptFailed(errno: errno, now: 1_000)
                == .pause(until: 1_000 + 100 * Self.millisecond, startsEpisode: true)
        )
        #expect(machine.isBackingOff)
    }

    @Test func pausesDoubleUpToOneSecondAndTheEpisodeIsReportedOnce() {
        var machine = AcceptBackoffStateMachine()
        var now: UInt64 = 5_000 * Self.millisecond
        let start = now
        var pauses: [UInt64] = []
        var starts = 0
        for _ in 0..<7 {
            guard case .pause(let until, let startsEpisode) = machine.acceptFailed(errno: EMFILE, now: now) else {
                Issue.record("expected a pause")
                return
            }
            pauses.append((until - now) / Self.millisecond)
            if startsEpisode { starts += 1 }
            now = until
        }
        #expect(pauses == [100, 200, 400, 800, 1000, 1000, 1000])
        #expect(starts == 1)
        let episode = machine.accepted(now: now)
        #expect(episode == AcceptBackoffStateMachine.Episode(duration: now - start, failures: 7))
        #expect(!machine.isBackingOff)
        // The next episode starts from 100 ms again and is reported again.
        #expect(
            machine.acceptFailed(errno: ENFILE, now: now)
                == .pause(until: now + 100 * Self.millisecond, startsEpisode: true)
        )
    }

    @Test func connectionErrorsDuringAnEpisodeNeitherEndNorLengthenIt() {
        var machine = AcceptBackoffStateMachine()
        _ = machine.acceptFailed(errno: EMFILE, now: 0)
        #expect(machine.acceptFailed(errno: ECONNABORTED, now: 100 * Self.millisecond) == .acceptNext)
        #expect(machine.isBackingOff)
        #expect(
            machine.acceptFailed(errno: EMFILE, now: 100 * Self.millisecond)
                == .pause(until: 300 * Self.millisecond, startsEpisode: false)
        )
    }

    @Test func configurationAndSaturation() {
        var machine = AcceptBackoffStateMachine(configuration: .init(initialPause: 10, maximumPause: 5))
        #expect(machine.configuration.maximumPause == 10)
        #expect(machine.acceptFailed(errno: EMFILE, now: .max - 3) == .pause(until: .max, startsEpisode: true))
        #expect(machine.accepted(now: 0) == AcceptBackoffStateMachine.Episode(duration: 0, failures: 1))
    }

    /// A real `EMFILE` from accept4(2): the soft descriptor limit is lowered in a child process, so other tests
    /// running in this one keep theirs.
    @Test func acceptReportsEMFILEWhenTheProcessIsOutOfDescriptors() async {
        await #expect(processExitsWith: .success) {
            let server = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
            let client = try Socket.connect(to: server.localAddress, timeout: .seconds(5))
            guard try server.descriptor.waitUntilReady(for: .readable, timeout: .seconds(5)) else { exit(2) }
            DescriptorExhaustion.prepare()
            // RLIMIT_NOFILE bounds descriptor numbers: the lowest free number as the limit leaves none free.
            let lowestFree = dup(0)
            close(lowestFree)
            var limit = rlimit()
            getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
            limit.rlim_cur = rlim_t(lowestFree)
            guard setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { exit(3) }
            do {
                _ = try server.acceptWithPeerAddress()
                exit(4)
            } catch let error as SystemError where error.errno == EMFILE {
                var backoff = AcceptBackoffStateMachine()
                let action = backoff.acceptFailed(errno: error.errno, now: 0)
                guard case .pause(_, startsEpisode: true) = action else { exit(5) }
            }
            try client.close()
            exit(0)
        }
    }
}
