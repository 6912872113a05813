internal import COpenSSL

/// A resumable TLS session held by a client (owns an `SSL_SESSION*`).
///
/// `@unchecked Sendable`: sessions are immutable once established and reference counted thread-safely.
package final class TLSSession: @unchecked Sendable {
    let session: OpaquePointer

    init(taking session: OpaquePointer) {
        self.session = session
    }

    deinit {
        SSL_SESSION_free(session)
    }

    /// Whether the session can be offered for resumption (it carries a ticket or id).
    package var isResumable: Bool {
        SSL_SESSION_is_resumable(session) == 1
    }
}
