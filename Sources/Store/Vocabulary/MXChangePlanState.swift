/// Where an MX-change plan stands (`mx_change_plans.state`).
package enum MXChangePlanState: String, StoredVocabulary, Sendable, Hashable {
    /// The new patterns are published; earlier policy versions may still be cached by senders.
    case waiting
    /// Every cached version covers the new hosts: the tenant may switch the MX records; the live MX are watched.
    case ready
    /// The live MX moved to the new hosts; the old patterns are removed and `max_age` restored.
    case completed
    /// The tenant stopped the plan; the policy stays as it was then.
    case cancelled
}
