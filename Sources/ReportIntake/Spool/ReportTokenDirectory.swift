import Foundation
import JSON
package import Logging
package import Store
import Synchronization
import SystemIO

/// Which reporting tokens accept reports now, answered from memory so a door never waits for PostgreSQL.
///
/// ``refresh()`` reloads the tokens of verified and offboarding domains from the store and writes them to a
/// cache file, which ``init(store:cacheFile:logger:)`` reads back: a door restarted during a database outage
/// still knows every token it knew. The reports role refreshes every few seconds and right after a change.
///
/// ```swift
/// let tokens = ReportTokenDirectory(store: store, cacheFile: spoolDirectory + "/tokens.json", logger: logger)
/// tokens.refresh()
/// tokens.target(for: "3f2a0c…")?.domainName   // "example.com"
/// ```
package final class ReportTokenDirectory: Sendable {
    private let store: DataStore?
    private let cacheFile: String?
    private let logger: Logger
    private let tokens: Mutex<[String: ReportTokenTarget]>

    /// - Parameters:
    ///   - store: where tokens come from; nil for a fixed set (tests, `reports import` with an explicit domain).
    ///   - cacheFile: where the last loaded set is kept for restarts; nil for none.
    package init(store: DataStore?, cacheFile: String?, logger: Logger, initial: [String: ReportTokenTarget] = [:]) {
        self.store = store
        self.cacheFile = cacheFile
        self.logger = logger
        tokens = Mutex(initial)
        if initial.isEmpty, let cacheFile, let cached = Self.readCache(cacheFile) {
            tokens.withLock { $0 = cached }
        }
    }

    /// The domain `token` routes to, when it accepts reports.
    package func target(for token: String) -> ReportTokenTarget? {
        let normalized = token.lowercased()
        guard Self.isWellFormed(normalized) else { return nil }
        return tokens.withLock { $0[normalized] }
    }

    /// How many tokens are known.
    package var count: Int { tokens.withLock { $0.count } }

    /// Reloads the tokens; keeps the known set when PostgreSQL cannot be reached.
    /// - Returns: whether the reload succeeded.
    @discardableResult
    package func refresh() -> Bool {
        guard let store else { return true }
        do {
            let loaded = try store.reports.activeTokens()
            let changed = tokens.withLock { current -> Bool in
                defer { current = loaded }
                return current != loaded
            }
            if changed, let cacheFile { writeCache(loaded, to: cacheFile) }
            return true
        } catch {
            logger.warning("cannot reload reporting tokens; keeping the known ones", ["error": "\(error)"])
            return false
        }
    }

    /// 24 lower-case hex digits, as migration 0012 generates them.
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 24 && token.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private func writeCache(_ tokens: [String: ReportTokenTarget], to path: String) {
        let members = tokens.sorted { $0.key < $1.key }.map { token, target in
            JSONMember(
                key: token,
                value: ["id": .string(target.domainID.uuidString), "name": .string(target.domainName)]
            )
        }
        do {
            try DurableFile.write(JSONValue.object(members).serialized(), to: path)
        } catch {
            logger.warning("cannot write the reporting-token cache", ["path": path, "error": "\(error)"])
        }
    }

    private static func readCache(_ path: String) -> [String: ReportTokenTarget]? {
        guard let data = FileManager.default.contents(atPath: path),
            case .object(let members)? = try? JSONParser.parse(Array(data))
        else { return nil }
        var tokens: [String: ReportTokenTarget] = [:]
        for member in members {
            guard let id = member.value["id"]?.stringValue.flatMap(UUID.init(uuidString:)),
                let name = member.value["name"]?.stringValue
            else { continue }
            tokens[member.key] = ReportTokenTarget(domainID: id, domainName: name)
        }
        return tokens
    }
}
