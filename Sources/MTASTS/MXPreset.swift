/// Suggested `mx` patterns for well-known mail providers, for the policy editor and the MX-change plan.
///
/// A preset is only a suggestion: the API checks it against the domain's live MX like any pattern. Patterns
/// follow RFC 8461 §4.1: a wildcard covers exactly one leftmost label, so a provider whose host names vary in
/// more than one label (Microsoft's DNSSEC names, `tenant.o-v1.mx.microsoft`) gets patterns derived from the
/// domain's own MX hosts (`*.o-v1.mx.microsoft`), never a `*.mx.microsoft` that would not match them.
///
/// ```swift
/// let microsoft = MXPreset.all.first { $0.id == "microsoft365" }!
/// microsoft.patterns(liveMX: ["contoso-com.o-v1.mx.microsoft"])  // *.mail.protection.outlook.com, *.o-v1.mx.microsoft
/// ```
package struct MXPreset: Sendable, Hashable {
    /// A stable identifier (`google`, `microsoft365`, …).
    package let id: String
    /// The provider's name.
    package let name: String
    /// Patterns every domain of the provider needs.
    package let fixedPatterns: [String]
    /// Host-name suffixes (without the leading dot) under which a live MX host gets the pattern `*.` + its name
    /// without the first label.
    package let derivedSuffixes: [String]
    /// Whether every live MX host is suggested exactly as it is (self-hosted mail).
    package let usesLiveHosts: Bool
    /// A sentence on what the patterns cover.
    package let note: String

    /// The suggested patterns for a domain whose live MX hosts are `liveMX` (lower-case, no trailing dot).
    package func patterns(liveMX: [String]) -> [MXPattern] {
        var texts = fixedPatterns
        for host in liveMX {
            if usesLiveHosts {
                texts.append(host)
                continue
            }
            let labels = host.split(separator: ".")
            for suffix in derivedSuffixes
            where host.hasSuffix("." + suffix) && labels.count > suffix.split(separator: ".").count {
                texts.append("*." + labels.dropFirst().joined(separator: "."))
            }
        }
        var patterns: [MXPattern] = []
        for text in texts {
            guard let pattern = try? MXPattern(parsing: text), !patterns.contains(pattern) else { continue }
            patterns.append(pattern)
        }
        return patterns
    }

    /// Every preset, in the order the editor offers them.
    package static let all: [MXPreset] = [
        MXPreset(
            id: "microsoft365",
            name: "Microsoft 365",
            fixedPatterns: ["*.mail.protection.outlook.com"],
            derivedSuffixes: ["mx.microsoft"],
            usesLiveHosts: false,
            note:
                "tenant.mail.protection.outlook.com hosts; DNSSEC-enabled tenants' tenant.x-v1.mx.microsoft hosts get "
                + "*.x-v1.mx.microsoft from the domain's own MX (a wildcard covers one label only)."
        ),
        MXPreset(
            id: "google",
            name: "Google Workspace",
            fixedPatterns: ["smtp.google.com", "aspmx.l.google.com", "*.aspmx.l.google.com"],
            derivedSuffixes: [],
            usesLiveHosts: false,
            note: "smtp.google.com, and aspmx.l.google.com with its alt1…alt4 backups."
        ),
        MXPreset(
            id: "proton",
            name: "Proton Mail",
            fixedPatterns: ["mail.protonmail.ch", "mailsec.protonmail.ch"],
            derivedSuffixes: [],
            usesLiveHosts: false,
            note: "Proton's two inbound hosts."
        ),
        MXPreset(
            id: "zoho",
            name: "Zoho Mail",
            fixedPatterns: [],
            derivedSuffixes: ["zoho.com", "zoho.eu", "zoho.in", "zoho.com.au", "zoho.jp", "zohomail.ca"],
            usesLiveHosts: false,
            note: "mx, mx2 and mx3 in the domain's Zoho region, derived from its MX records."
        ),
        MXPreset(
            id: "fastmail",
            name: "Fastmail",
            fixedPatterns: ["*.messagingengine.com"],
            derivedSuffixes: [],
            usesLiveHosts: false,
            note: "in1-smtp and in2-smtp.messagingengine.com."
        ),
        MXPreset(
            id: "self-hosted",
            name: "Self-hosted",
            fixedPatterns: [],
            derivedSuffixes: [],
            usesLiveHosts: true,
            note: "Exactly the domain's current MX hosts; their certificates must name them."
        ),
    ]
}
