import Database
import Foundation
import MTASTS
import Store
import TestSupport
import Testing

/// A fresh migrated database and a store on it.
struct StoreFixture {
    let url: String
    let pool: PostgresPool
    let store: DataStore

    init() throws {
        url = try PostgresTestCluster.shared.makeDatabase()
        pool = PostgresPool(configuration: .init(connectionString: url, maxConnections: 4))
        store = DataStore(pool: pool)
    }

    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    func account(_ email: String) throws -> AccountRecord {
        try store.accounts.create(email: email, passwordHash: String(repeating: "h", count: 40), at: Self.start)
    }

    func domain(_ account: AccountRecord, _ name: String, limit: Int = 5) throws -> DomainRecord {
        try store.domains.create(
            accountID: account.id,
            name: try DomainName(parsing: name),
            verificationToken: "tok_0123456789abcdef",
            defaultLimit: limit,
            at: Self.start
        )
    }

    func policy(_ mode: PolicyMode, _ mx: [String], maxAge: Int = 86_400) throws -> Policy {
        try Policy(mode: mode, mx: try mx.map { try MXPattern(parsing: $0) }, maxAge: maxAge)
    }

    func count(_ table: String) throws -> Int {
        try pool.withConnection { connection in
            try #require(try connection.query("SELECT count(*) FROM \(unsafeSQL: table)").first).decode(Int.self, at: 0)
        }
    }
}
