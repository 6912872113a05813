package import Foundation

/// What the worker does with a job after handling it.
package enum JobOutcome: Sendable, Equatable {
    /// Finished: remove the job.
    case done
    /// Try again at `at`; `countsAsAttempt` feeds the backoff.
    case retry(at: Date, error: String, countsAsAttempt: Bool)
}
