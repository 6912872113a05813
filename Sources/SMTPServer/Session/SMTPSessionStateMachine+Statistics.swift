// MARK: - Differences between statistics

extension SMTPSessionStateMachine.Statistics {
    /// What happened between `earlier` and `self`, field by field.
    func subtracting(_ earlier: Self) -> Self {
        Self(
            recipientsAccepted: recipientsAccepted - earlier.recipientsAccepted,
            recipientsRefused: recipientsRefused - earlier.recipientsRefused,
            messagesAccepted: messagesAccepted - earlier.messagesAccepted,
            messagesRefused: messagesRefused - earlier.messagesRefused,
            commandErrors: commandErrors - earlier.commandErrors
        )
    }
}
