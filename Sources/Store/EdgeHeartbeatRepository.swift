import Database
package import Foundation

/// How far the live edges have come through the change log.
package struct EdgeProgress: Sendable, Hashable {
    /// The lowest change-log position applied by an edge heard from recently; nil when no edge is live.
    package var minimumApplied: Int64?
    /// Edges heard from within the window.
    package var liveEdges: Int
    /// Edges that have not reported within the window (they are not waited for).
    package var silentEdges: Int

    package init(minimumApplied: Int64?, liveEdges: Int, silentEdges: Int) {
        self.minimumApplied = minimumApplied
        self.liveEdges = liveEdges
        self.silentEdges = silentEdges
    }
}

/// SQL for `edge_heartbeats`: each edge process records the change-log position it has applied, so the DNS
/// role announces a new policy id only once every live edge serves that policy (RFC 8461 §8.1).
package struct EdgeHeartbeatRepository: Sendable {
    let pool: PostgresPool

    /// Records that edge `instance` has applied every change up to `appliedSequence`.
    /// - Returns: the newest change-log position on this (primary) database, so an edge that reads from a
    ///   replica can tell how far behind the primary it is.
    @discardableResult
    package func record(instance: String, appliedSequence: Int64, at now: Date = Date()) throws -> Int64 {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO edge_heartbeats (instance, applied_seq, seen_at)
                VALUES (\(instance), \(max(0, appliedSequence)), \(now))
                ON CONFLICT (instance) DO UPDATE SET applied_seq = excluded.applied_seq, seen_at = excluded.seen_at
                """
            )
            return try ChangeLogRepository.newestSequence(on: connection)
        }
    }

    /// The progress of the edges that reported within `window` before `now`.
    package func progress(window: TimeInterval, at now: Date = Date()) throws -> EdgeProgress {
        let since = now.addingTimeInterval(-window)
        return try pool.withConnection { connection in
            let row = try AccountRepository.single(
                try connection.query(
                    """
                    SELECT min(applied_seq) FILTER (WHERE seen_at > \(since)),
                           count(*) FILTER (WHERE seen_at > \(since)),
                           count(*) FILTER (WHERE seen_at <= \(since))
                    FROM edge_heartbeats
                    """
                )
            )
            let (minimum, live, silent) = try row.decode((Int64?, Int, Int).self)
            return EdgeProgress(minimumApplied: minimum, liveEdges: live, silentEdges: silent)
        }
    }
}
