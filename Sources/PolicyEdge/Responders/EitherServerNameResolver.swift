import TLS

/// Certificates from `second` for its few names (the reports host), from `first` for every other one (the
/// snapshot's policy hosts).
struct EitherServerNameResolver: ServerNameResolver {
    let first: any ServerNameResolver
    let second: any ServerNameResolver
    /// Lower-case names `second` answers for.
    let secondNames: Set<String>

    func context(forServerName serverName: String) -> TLSContext? {
        secondNames.contains(HostName.normalized(serverName))
            ? second.context(forServerName: serverName) : first.context(forServerName: serverName)
    }
}
