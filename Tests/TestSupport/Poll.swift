import Glibc

/// Waits for a condition by re-checking it until a deadline; use it instead of sleeping for a fixed time.
///
/// ```swift
/// try Poll.until(deadline: 10, "new record visible") { client.txt("x.example.test") == [["v"]] }
/// ```
package enum Poll {
    /// Calls `condition` every `interval` until it returns true or `deadline` seconds have passed.
    ///
    /// Errors thrown by `condition` count as "not yet"; the last one is reported if time runs out.
    /// - Throws: ``TestSupportError`` naming `what` when the deadline passes.
    package static func until(
        deadline seconds: Double,
        interval: Duration = .milliseconds(50),
        _ what: String = "condition",
        _ condition: () throws -> Bool
    ) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(seconds * 1000))
        var lastError: (any Error)?
        while true {
            do {
                if try condition() {
                    return
                }
                lastError = nil
            } catch {
                lastError = error
            }
            guard clock.now < deadline else {
                let detail = lastError.map { " (last error: \($0))" } ?? ""
                throw TestSupportError("\(what) not reached within \(seconds) s\(detail)")
            }
            let (wholeSeconds, attoseconds) = interval.components
            usleep(useconds_t(wholeSeconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        }
    }
}
