/// Readiness a handler is interested in, or that the selector reports.
package struct EventSet: OptionSet, Sendable, Hashable {
    /// The raw bits (not `EPOLL*` values; see ``Selector``).
    package let rawValue: UInt8

    /// Creates a set from raw bits.
    package init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Data (or a connection, or end of stream) can be read.
    package static let readable = EventSet(rawValue: 1 << 0)
    /// The send buffer has room.
    package static let writable = EventSet(rawValue: 1 << 1)
    /// The peer shut down its write side (`EPOLLRDHUP`); reported together with ``readable``.
    package static let readHangup = EventSet(rawValue: 1 << 2)
    /// Hang-up or error on the descriptor (`EPOLLHUP`/`EPOLLERR`); only ever reported, never requested.
    package static let hangup = EventSet(rawValue: 1 << 3)
    /// Requested, never reported: for a descriptor that several loops watch (one listener shared by every
    /// loop), a readiness wakes one of the loops waiting for it instead of all (`EPOLLEXCLUSIVE`). Without
    /// ``readHangup`` (the kernel refuses `EPOLLRDHUP` with it). Pass it in every `modify` of such a
    /// registration too: the selector then removes and re-adds the descriptor (the kernel refuses to modify one).
    package static let exclusive = EventSet(rawValue: 1 << 4)
}
