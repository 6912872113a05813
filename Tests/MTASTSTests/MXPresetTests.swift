import MTASTS
import Testing

@Suite struct MXPresetTests {
    private func preset(_ id: String) throws -> MXPreset { try #require(MXPreset.all.first { $0.id == id }) }

    @Test func microsoftDNSSECHostsGetAPatternOneLabelBelowTheirOwnName() throws {
        let live = ["contoso-com.o-v1.mx.microsoft", "contoso-com.mail.protection.outlook.com"]
        let patterns = try preset("microsoft365").patterns(liveMX: live)
        #expect(patterns.map(\.description) == ["*.mail.protection.outlook.com", "*.o-v1.mx.microsoft"])
        // Every live host is covered, by the RFC 8461 §4.1 rule the patterns are matched with.
        #expect(live.allSatisfy { host in patterns.contains { $0.matches(host) } })
        // The tempting *.mx.microsoft would not cover the DNSSEC name: a wildcard takes one label only.
        #expect(!(try MXPattern(parsing: "*.mx.microsoft")).matches("contoso-com.o-v1.mx.microsoft"))
        // Without a DNSSEC MX nothing is derived.
        #expect(try preset("microsoft365").patterns(liveMX: []).map(\.description) == ["*.mail.protection.outlook.com"])
    }

    @Test func otherProvidersAndSelfHosted() throws {
        let google = try preset("google").patterns(liveMX: ["aspmx.l.google.com", "alt1.aspmx.l.google.com"])
        #expect(
            ["aspmx.l.google.com", "alt1.aspmx.l.google.com", "smtp.google.com"].allSatisfy { host in
                google.contains { $0.matches(host) }
            }
        )
        let zoho = try preset("zoho").patterns(liveMX: ["mx.zoho.eu", "mx2.zoho.eu", "mx.example.com"])
        #expect(zoho.map(\.description) == ["*.zoho.eu"])
        let own = try preset("self-hosted").patterns(liveMX: ["mx1.example.com", "mx2.example.com", "mx1.example.com"])
        #expect(own.map(\.description) == ["mx1.example.com", "mx2.example.com"])
        #expect(Set(MXPreset.all.map(\.id)).count == MXPreset.all.count)
    }
}
