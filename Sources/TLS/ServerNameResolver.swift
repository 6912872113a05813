/// Chooses the certificate context for a TLS server name (SNI) during the handshake.
///
/// Called on the event loop thread inside OpenSSL's servername callback: it must be fast and must not block
/// (a dictionary lookup in an immutable snapshot).
package protocol ServerNameResolver: Sendable {
    /// The context holding the certificate for `serverName` (lower-cased), or `nil` to abort the handshake with
    /// `unrecognized_name`.
    func context(forServerName serverName: String) -> TLSContext?
}

/// A resolver backed by a closure.
package struct ClosureServerNameResolver: ServerNameResolver {
    private let body: @Sendable (String) -> TLSContext?

    /// Wraps `body`.
    package init(_ body: @escaping @Sendable (String) -> TLSContext?) {
        self.body = body
    }

    /// Calls the closure.
    package func context(forServerName serverName: String) -> TLSContext? {
        body(serverName)
    }
}

/// A resolver backed by an immutable dictionary of lower-cased host names (a snapshot).
package struct DictionaryServerNameResolver: ServerNameResolver {
    /// Host name → context; keys must be lower-case.
    package let contexts: [String: TLSContext]

    /// Creates a resolver over `contexts` (keys are lower-cased here).
    package init(_ contexts: [String: TLSContext]) {
        self.contexts = Dictionary(contexts.map { (HostName.normalized($0.key), $0.value) }) { first, _ in
            first
        }
    }

    /// Looks the name up.
    package func context(forServerName serverName: String) -> TLSContext? {
        contexts[serverName]
    }
}
