import Crypto
import Database
import Foundation
import Store
import TestSupport
import Testing

/// A database with fixtures whose secrets are sealed with one keyring.
struct SecretSetup {
    static let directory = "https://acme.example/directory"

    let url: String
    let pool: PostgresPool
    let fixtures: ServedDomainFixtures

    init(keyring: Keyring) throws {
        url = try PostgresTestCluster.shared.makeDatabase()
        pool = PostgresPool(configuration: .init(connectionString: url, maxConnections: 2))
        fixtures = try ServedDomainFixtures(
            url: url,
            directory: try TemporaryDirectory(prefix: "secrets"),
            keyring: keyring
        )
    }

    var store: DataStore { fixtures.store }

    /// The current certificate key of `host`, as the edges read it.
    func certificateKey(_ host: String) throws -> SealedSecret {
        let rows = try store.servedHosts.load(hosts: [host], parts: .certificate).certificates
        return try #require(rows.first).sealedKey
    }

    func execute(_ query: PostgresQuery) throws {
        try pool.withConnection { connection in _ = try connection.execute(query) }
    }

    static func keyring(_ current: MasterKey, previous: [MasterKey] = []) throws -> Keyring {
        try Keyring(current: current, previous: previous)
    }
}
