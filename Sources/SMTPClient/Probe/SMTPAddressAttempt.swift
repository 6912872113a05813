package import SystemIO

/// One address of the MX host the probe tried, and how far it got.
package struct SMTPAddressAttempt: Sendable, Hashable, CustomStringConvertible {
    /// How an attempt ended.
    package enum Outcome: Sendable, Hashable {
        /// The server greeted with 220; the probe continued on this connection.
        case greeted
        /// The connection failed, or the greeting did not come or was refused; the probe moved on.
        case failed(SMTPProbeFailure)
        /// Not tried: the overall deadline passed first.
        case notTried
    }

    /// The address with the probed port.
    package let address: SocketAddress
    /// How the attempt ended.
    package let outcome: Outcome

    /// Creates a record of one attempt.
    package init(address: SocketAddress, outcome: Outcome) {
        self.address = address
        self.outcome = outcome
    }

    /// `"192.0.2.1:25: greeted"`.
    package var description: String {
        switch outcome {
        case .greeted: "\(address): greeted"
        case .failed(let failure): "\(address): \(failure)"
        case .notTried: "\(address): not tried"
        }
    }
}
