/// A configuration value that is missing or invalid; names the variable so operators can fix it fast.
package struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The environment variable at fault, e.g. `MTASTS_DOMAIN_LIMIT`.
    package let variable: String
    package let message: String

    package init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    package var description: String { "\(variable): \(message)" }
}
