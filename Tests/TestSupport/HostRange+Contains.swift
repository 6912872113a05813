package import Store

extension HostRange {
    /// Whether `host` is in the slice: what the store's range reads select, for fakes and assertions (the
    /// follower never asks; the database answers for it).
    package func contains(_ host: String) -> Bool {
        guard Self.precedes(after, host) else { return false }
        guard let through else { return true }
        return !Self.precedes(through, host)
    }
}
