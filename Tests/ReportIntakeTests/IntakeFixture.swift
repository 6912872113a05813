import Database
import Foundation
import Logging
import MTASTS
import ReportIntake
import Store
import TestSupport

/// A migrated database with one verified domain (policy `testing`), and a spool in a temp directory.
struct IntakeFixture {
    let url: String
    let pool: PostgresPool
    let store: DataStore
    let directory: String
    let domain: DomainRecord
    let logger = Logger(label: "test", level: .error, sink: LogSink { _ in })
    static let verifiedAt = Date(timeIntervalSince1970: 1_790_000_000)

    /// - Parameter url: a migrated database (a fresh one on the shared cluster by default).
    init(url: String? = nil) throws {
        self.url = try url ?? (try PostgresTestCluster.shared.makeDatabase())
        pool = PostgresPool(configuration: .init(connectionString: self.url, maxConnections: 4))
        store = DataStore(pool: pool)
        directory = NSTemporaryDirectory() + "spool-\(UUID().uuidString)"
        let account = try store.accounts.create(
            email: "reports@example.com",
            passwordHash: String(repeating: "h", count: 40),
            at: Self.verifiedAt
        )
        let created = try store.domains.create(
            accountID: account.id,
            name: try DomainName(parsing: "example.com"),
            verificationToken: "tok_0123456789abcdef",
            defaultLimit: 5,
            at: Self.verifiedAt
        )
        let policy = try Policy(
            mode: .testing,
            mx: [try MXPattern(parsing: "mx1.example.com"), try MXPattern(parsing: "mx2.example.com")],
            maxAge: 86_400
        )
        domain = try store.domains.markVerified(domainID: created.id, initialPolicy: policy, at: Self.verifiedAt)
            .domain
    }

    var token: String { domain.reportToken }

    func reception() throws -> ReportReception {
        try ReportReception(spoolDirectory: directory, store: store, logger: logger)
    }

    func cleanUp() {
        pool.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../TLSReportingTests/Fixtures/\(name)")
        return Array(try Data(contentsOf: url))
    }
}
