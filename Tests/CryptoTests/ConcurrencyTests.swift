import Testing

@testable import Crypto

/// The key and certificate classes are shared across tasks; these tests exercise that.
@Suite struct ConcurrencyTests {
    @Test func oneKeySignsFromManyTasks() async throws {
        let key = try P256PrivateKey.generate()
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<32 {
                group.addTask {
                    let data = Array("message \(index)".utf8)
                    return key.verifyRaw(signature: try key.signatureRaw(for: data), data: data)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 32)
        #expect(results.allSatisfy { $0 })
    }

    @Test func oneAuthorityIssuesFromManyTasks() async throws {
        let now: Int64 = 1_767_225_600
        let ca = try CertificateBuilder.makeAuthority(commonName: "Shared CA", now: now)
        let names = try await withThrowingTaskGroup(of: [String].self) { group in
            for index in 0..<16 {
                group.addTask {
                    let leaf = try CertificateBuilder.makeLeaf(dnsNames: ["h\(index).example"], issuer: ca, now: now)
                    #expect(leaf.certificate.authorityKeyIdentifier == ca.certificate.subjectKeyIdentifier)
                    return leaf.certificate.dnsNames
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.formUnion($1) }
        }
        #expect(names == Set((0..<16).map { "h\($0).example" }))
    }
}
