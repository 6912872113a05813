import Database
package import Foundation
package import MTASTS

/// SQL for `policies`: one row per policy text a domain served, ids never reused.
package struct PolicyRepository: Sendable {
    let pool: PostgresPool

    static let columns = "id, domain_id, policy_id, mode, mx, max_age, text, created_at, superseded_at"

    static func decode(_ row: PostgresRow) throws -> PolicyRecord {
        let (rowID, domainID, policyID, mode, mx, maxAge, text, createdAt, supersededAt) = try row.decode(
            (Int64, UUID, String, PolicyMode, PostgresTextArray, Int, String, Date, Date?).self
        )
        return PolicyRecord(
            rowID: rowID,
            domainID: domainID,
            policyID: policyID,
            mode: mode,
            mx: mx.elements,
            maxAge: maxAge,
            text: text,
            createdAt: createdAt,
            supersededAt: supersededAt
        )
    }

    /// The domain's current policy, if it has one.
    package func current(domainID: UUID) throws -> PolicyRecord? {
        try pool.withConnection { try Self.current(on: $0, domainID: domainID) }
    }

    /// The current policies of `domainIDs` (one query for a page of domains).
    package func current(domainIDs: [UUID]) throws -> [UUID: PolicyRecord] {
        guard !domainIDs.isEmpty else { return [:] }
        return try pool.withConnection { connection in
            var policies: [UUID: PolicyRecord] = [:]
            for row in try connection.query(
                """
                SELECT \(unsafeSQL: Self.columns) FROM policies
                WHERE domain_id = ANY(\(PostgresUUIDArray(domainIDs))) AND superseded_at IS NULL
                """
            ) {
                let policy = try Self.decode(row)
                policies[policy.domainID] = policy
            }
            return policies
        }
    }

    /// When the domain's unbroken run of `testing` policies began: the first of the `testing` versions published
    /// after its last version in another mode; nil when the current policy is not in `testing`.
    package func testingSince(domainID: UUID) throws -> Date? {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT min(p.created_at) FROM policies p
                WHERE p.domain_id = \(domainID) AND p.mode = 'testing'
                  AND EXISTS (SELECT 1 FROM policies c
                              WHERE c.domain_id = \(domainID) AND c.superseded_at IS NULL AND c.mode = 'testing')
                  AND p.created_at > coalesce((SELECT max(o.created_at) FROM policies o
                                               WHERE o.domain_id = \(domainID) AND o.mode <> 'testing'), '-infinity')
                """
            ).first.flatMap { try $0.decode(Date?.self, at: 0) }
        }
    }

    /// Every policy the domain served, oldest first.
    package func history(domainID: UUID) throws -> [PolicyRecord] {
        try pool.withConnection { connection in
            try connection.query(
                "SELECT \(unsafeSQL: Self.columns) FROM policies WHERE domain_id = \(domainID) ORDER BY created_at, id"
            ).map(Self.decode)
        }
    }

    /// Publishes `policy` for a verified domain.
    ///
    /// The domain row is locked for the transaction so concurrent writers serialise. When the rendered text
    /// equals the current policy's, nothing is written and the current row is returned (`created == false`).
    /// - Parameters:
    ///   - expectedPolicyIDs: the ids `If-Match` names; the write is refused unless the current id is one of them
    ///     (an empty set refuses it always). Nil writes whatever is current.
    /// - Throws: `StoreError` `.notFound`, `.invalidStatus` (not verified), `.policyPreconditionFailed`.
    package func publish(
        domainID: UUID,
        policy: Policy,
        at now: Date,
        expectedPolicyIDs: Set<String>? = nil
    ) throws -> (policy: PolicyRecord, created: Bool) {
        try pool.withTransaction { connection in
            let domain = try DomainRepository.lock(on: connection, domainID: domainID)
            guard domain.status == .verified else {
                throw StoreError(.invalidStatus, "The domain is \(domain.status.rawValue), not verified.")
            }
            if let expectedPolicyIDs {
                let current = try Self.current(on: connection, domainID: domainID)
                guard let current, expectedPolicyIDs.contains(current.policyID) else {
                    throw StoreError(.policyPreconditionFailed, "The policy changed since it was read.")
                }
            }
            return try Self.publish(on: connection, domain: domain, policy: policy, at: now)
        }
    }

    static func current(on connection: PostgresConnection, domainID: UUID) throws -> PolicyRecord? {
        try connection.query(
            """
            SELECT \(unsafeSQL: columns) FROM policies WHERE domain_id = \(domainID) AND superseded_at IS NULL
            """
        ).first.map(decode)
    }

    /// Inserts a new row with a fresh id unless the text is unchanged; supersedes the previous row and appends
    /// a `policy` change for `mta-sts.<domain>`. Runs inside the caller's transaction, domain row locked.
    static func publish(
        on connection: PostgresConnection,
        domain: DomainRecord,
        policy: Policy,
        at now: Date
    ) throws -> (policy: PolicyRecord, created: Bool) {
        let current = try current(on: connection, domainID: domain.id)
        if let current, current.text == policy.text { return (current, false) }
        let used = try connection.query("SELECT policy_id FROM policies WHERE domain_id = \(domain.id)").map {
            try PolicyID(try $0.decode(String.self, at: 0))
        }
        let id = PolicyID.generate(at: now, avoiding: Set(used))
        if let current {
            // `superseded_at >= created_at` is a CHECK: a clock moved backwards must not break the write.
            let supersededAt = max(now, current.createdAt)
            try connection.execute("UPDATE policies SET superseded_at = \(supersededAt) WHERE id = \(current.rowID)")
        }
        let createdAt = max(now, current?.createdAt ?? now)
        // The change row first: the policy remembers it, so the id is announced only once every edge applied it.
        let seq = try ChangeLogRepository.append(
            on: connection,
            host: domain.domainName.policyHost,
            kind: .policy,
            at: now
        )
        let rows = try connection.query(
            """
            INSERT INTO policies (domain_id, policy_id, mode, mx, max_age, text, created_at, change_seq)
            VALUES (\(domain.id), \(id.string), \(policy.mode), \(PostgresTextArray(policy.mx.map(\.description))),
                    \(policy.maxAge), \(policy.text), \(createdAt), \(seq))
            RETURNING \(unsafeSQL: columns)
            """
        )
        return (try decode(try AccountRepository.single(rows)), true)
    }
}
