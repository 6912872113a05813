/// Chooses the certificate context for a TLS server name (SNI) during the handshake.
///
/// Called on the event loop thread inside OpenSSL's servername callback: it must be fast and must not block
/// (a dictionary lookup in an immutable snapshot).
package protocol ServerNameResolver: Sendable {
    /// The context holding the certificate for `serverName` (lower-cased), or `nil` to abort the handshake with
    /// `unrecognized_name`.
    func context(forServerName serverName: String) -> TLSContext?

    /// The context for a client that sent no server name, or nil (the default) to abort with
    /// `unrecognized_name`. HTTPS clients always send one (RFC 8461 §3.3 relies on it); SMTP clients often do
    /// not, and a mail server has one name to present.
    var contextWithoutServerName: TLSContext? { get }
}

extension ServerNameResolver {
    package var contextWithoutServerName: TLSContext? { nil }
}

/// Answers every handshake, with or without SNI, with `base`'s context for one name: an SMTP server's.
package struct SingleNameServerNameResolver: ServerNameResolver {
    private let base: any ServerNameResolver
    /// The name whose certificate is presented, lower-case.
    package let name: String

    package init(base: any ServerNameResolver, name: String) {
        self.base = base
        self.name = HostName.normalized(name)
    }

    /// `name`'s context, whatever the client asked for (a mail client may name the MX it looked up).
    package func context(forServerName serverName: String) -> TLSContext? {
        base.context(forServerName: name)
    }

    package var contextWithoutServerName: TLSContext? { base.context(forServerName: name) }
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
