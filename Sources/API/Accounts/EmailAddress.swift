import MTASTS

/// The email syntax accepted for accounts: a dot-atom local part (RFC 5322 §3.4.1, no quoted strings or
/// comments) and a domain that is a valid hostname with at least two labels.
enum EmailAddress {
    private static let localCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".unicodeScalars
    )

    /// nil when `address` is acceptable, else why not.
    static func problem(with address: String) -> String? {
        guard address.utf8.count <= 254 else { return "An email address has at most 254 characters." }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "An email address has exactly one @." }
        let local = parts[0]
        guard !local.isEmpty, local.utf8.count <= 64 else { return "The part before @ must have 1 to 64 characters." }
        let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard atoms.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(localCharacters.contains) }) else {
            return "The part before @ may hold letters, digits, !#$%&'*+-/=?^_`{|}~ and single inner dots."
        }
        do {
            _ = try DomainName.parseHostname(String(parts[1]))
        } catch {
            return "The domain after @ is invalid: \(error.message)"
        }
        guard parts[1].contains(".") else { return "The domain after @ needs at least two labels." }
        return nil
    }
}
