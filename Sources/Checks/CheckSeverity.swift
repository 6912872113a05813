/// How much a finding matters: an `error` breaks or weakens MTA-STS for senders now, a `warning` will or may,
/// an `info` is worth knowing. Ordered `info < warning < error`.
package enum CheckSeverity: String, Sendable, Hashable, Comparable, CaseIterable {
    case info
    case warning
    case error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    package static func < (lhs: CheckSeverity, rhs: CheckSeverity) -> Bool { lhs.rank < rhs.rank }
}
