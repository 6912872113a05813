/// Receives readiness for one descriptor registered with an ``EventLoop``.
///
/// All methods run on the loop's thread. Readiness is level-triggered (see ``Selector``): an unhandled condition
/// is reported again on the next iteration. A handler must ``EventLoop/deregister(descriptor:)`` before closing its
/// descriptor; the loop keeps a strong reference to the handler until then.
package protocol EventHandler: AnyObject {
    /// The descriptor is readable, the peer half-closed, or (for a listener) a connection is pending.
    func readable()
    /// The descriptor is writable (only delivered while ``EventSet/writable`` is in the interest set).
    func writable()
    /// The descriptor reported `EPOLLHUP` or `EPOLLERR` and is still registered after ``readable()``.
    func hangup()
}
