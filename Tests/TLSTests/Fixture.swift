@testable import TLS

/// Contexts shared by the in-memory tests: a certificate-less default server context resolving a and b.
struct Fixture: Sendable {
    let pki: TestPKI
    let hostA: TLSContext
    let hostB: TLSContext
    let server: TLSContext
    let client: TLSContext

    init(clientConfiguration: TLSConfiguration? = nil) throws {
        pki = try TestPKI.load()
        hostA = try TLSContext.makeServer(certificate: pki.pairA)
        hostB = try TLSContext.makeServer(certificate: pki.pairB)
        server = try TLSContext.makeServer()
        server.setServerNameResolver(DictionaryServerNameResolver(["mta-sts.a.test": hostA, "MTA-STS.B.TEST": hostB]))
        client = try TLSContext.makeClient(
            configuration: clientConfiguration ?? .client(trustRoots: .file(pki.rootFile))
        )
    }

    func pair(serverName: String?, client: TLSContext? = nil, server: TLSContext? = nil) throws -> InMemoryPair {
        try InMemoryPair(client: client ?? self.client, server: server ?? self.server, serverName: serverName)
    }
}
