import Foundation
import HTTPCore

extension PlatformConfiguration {
    /// Parses a comma-separated list of CIDR blocks (`10.0.0.0/8, 2001:db8::/32`, or single addresses).
    /// - Parameters:
    ///   - text: The variable's value; nil or empty trusts no proxy.
    ///   - variable: The variable's name, for the error.
    /// - Throws: ``ConfigurationError`` naming `variable` and the first entry that is not a CIDR block.
    static func trustedProxies(_ text: String?, variable: String) throws(ConfigurationError) -> TrustedProxies {
        var blocks: [CIDRBlock] = []
        for item in (text ?? "").split(separator: ",") {
            let entry = item.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty else { continue }
            guard let block = CIDRBlock(entry) else {
                throw ConfigurationError(
                    variable: variable,
                    message: "expected CIDR blocks separated by commas (e.g. 10.0.0.0/8, 2001:db8::/32) with no bits "
                        + "set after the prefix, got \"\(entry)\""
                )
            }
            blocks.append(block)
        }
        return TrustedProxies(blocks)
    }
}
