/// An RFC 7807 problem document as ACME servers send it (`application/problem+json`, RFC 8555 §6.7), also found
/// in the `error` field of orders and challenges.
package struct ACMEProblem: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The problem type, usually `urn:ietf:params:acme:error:*`.
    package var type: ACMEProblemType
    /// The human-readable explanation; clients SHOULD show it (§6.7).
    package var detail: String?
    /// The HTTP status the server chose.
    package var status: Int?
    /// Per-identifier problems of a `compound` error (§6.7.1).
    package var subproblems: [ACMEProblem]?
    /// The identifier a subproblem is about.
    package var identifier: ACMEIdentifier?
    /// A page for the user, e.g. new terms of service to accept with `userActionRequired` (§7.3.3).
    package var instance: String?

    /// Creates a problem.
    package init(
        type: ACMEProblemType,
        detail: String? = nil,
        status: Int? = nil,
        subproblems: [ACMEProblem]? = nil,
        identifier: ACMEIdentifier? = nil,
        instance: String? = nil
    ) {
        self.type = type
        self.detail = detail
        self.status = status
        self.subproblems = subproblems
        self.identifier = identifier
        self.instance = instance
    }

    /// `<type>: <detail>` plus subproblems, e.g. for an operator-facing "last error" column.
    package var description: String {
        var text = type.acmeName ?? type.rawValue
        if let identifier { text = "\(identifier.value): " + text }
        if let detail, !detail.isEmpty { text += ": " + detail }
        if let subproblems, !subproblems.isEmpty {
            text += " [" + subproblems.map(\.description).joined(separator: "; ") + "]"
        }
        return text
    }
}
