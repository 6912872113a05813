import TLS

// MARK: - Close reasons as metric labels

extension SMTPConnectionStateMachine.CloseReason {
    /// The label ``SMTPListenerMetrics/closesByReason`` counts this reason under.
    var metricName: String {
        switch self {
        case .session(.quit): "quit"
        case .session(.timedOut): "timeout"
        case .session(.tooManyErrors): "too_many_errors"
        case .session(.tooManyCommands): "too_many_commands"
        case .session(.messageTooLarge): "message_too_large"
        case .session(.shuttingDown): "shutdown"
        case .session(.peerClosed): "peer_closed"
        case .handshakeFailed(.handshakeTimedOut): "handshake_timeout"
        case .handshakeFailed: "handshake_failed"
        case .tls: "tls_failed"
        case .transportFailed: "transport_failed"
        case .sendTimedOut: "send_timeout"
        case .aborted: "aborted"
        }
    }
}
