/// An authorization object (RFC 8555 §7.1.4): proof of control over one identifier.
package struct ACMEAuthorization: Codable, Sendable, Equatable {
    /// The identifier being authorized.
    package var identifier: ACMEIdentifier
    /// pending → valid or invalid (later expired, deactivated, revoked).
    package var status: ACMEStatus
    /// When it expires (RFC 3339).
    package var expires: String?
    /// The challenges offered (pending) or the one used (valid/invalid).
    package var challenges: [ACMEChallenge]
    /// Whether this authorizes a wildcard name.
    package var wildcard: Bool?

    /// Creates an authorization.
    package init(
        identifier: ACMEIdentifier,
        status: ACMEStatus,
        expires: String? = nil,
        challenges: [ACMEChallenge],
        wildcard: Bool? = nil
    ) {
        self.identifier = identifier
        self.status = status
        self.expires = expires
        self.challenges = challenges
        self.wildcard = wildcard
    }

    /// The `http-01` challenge, if offered.
    package var http01Challenge: ACMEChallenge? {
        challenges.first { $0.type == ACMEChallenge.http01 }
    }

    /// The first error found in the challenges: why an invalid authorization failed (§7.1.4, §8.2).
    package var challengeError: ACMEProblem? {
        challenges.lazy.compactMap(\.error).first
    }
}
