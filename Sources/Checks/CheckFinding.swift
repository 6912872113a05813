/// One thing the check found: a stable ``code`` (documented in `docs/checks.md`), how much it matters, a sentence
/// for the tenant and the exact fix, plus details named by key (the record found, the TTL, the MX host, ...).
///
/// ```swift
/// let finding = CheckFinding(.stsRecordMissing, .error, "No MTA-STS record…", fix: "Publish …")
/// ```
package struct CheckFinding: Sendable, Hashable {
    /// The stable code.
    package var code: CheckCode
    /// How much it matters.
    package var severity: CheckSeverity
    /// What was found, in plain language.
    package var message: String
    /// What to do about it, exactly (the record to publish, the setting to change).
    package var fix: String
    /// Facts behind the finding, in a stable order; keys are snake_case and never collide with the four above.
    package var details: [CheckDetail]

    /// Creates a finding.
    package init(
        _ code: CheckCode,
        _ severity: CheckSeverity,
        _ message: String,
        fix: String,
        details: [CheckDetail] = []
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.fix = fix
        self.details = details
    }

    /// The detail named `key`, if present.
    package subscript(detail key: String) -> CheckDetail.Value? {
        details.first { $0.key == key }?.value
    }
}

/// A named fact behind a finding.
package struct CheckDetail: Sendable, Hashable {
    /// A detail's value.
    package enum Value: Sendable, Hashable {
        case string(String)
        case integer(Int)
        case strings([String])
    }

    /// The key, snake_case.
    package var key: String
    /// The value.
    package var value: Value

    /// Creates a detail.
    package init(_ key: String, _ value: Value) {
        self.key = key
        self.value = value
    }

    /// A string detail.
    package static func string(_ key: String, _ value: String) -> CheckDetail { CheckDetail(key, .string(value)) }
    /// An integer detail.
    package static func integer(_ key: String, _ value: Int) -> CheckDetail { CheckDetail(key, .integer(value)) }
    /// A list detail.
    package static func strings(_ key: String, _ value: [String]) -> CheckDetail { CheckDetail(key, .strings(value)) }
}
