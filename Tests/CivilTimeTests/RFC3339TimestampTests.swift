import CivilTime
import Testing

@Suite struct RFC3339TimestampTests {
    @Test func strictForms() {
        #expect(RFC3339Timestamp.secondsSince1970("2025-01-02T04:00:00Z") == 1_735_790_400)
        #expect(RFC3339Timestamp.secondsSince1970("2025-01-02T06:00:00+02:00") == 1_735_790_400)
        #expect(RFC3339Timestamp.secondsSince1970("2025-01-01T23:00:00-05:00") == 1_735_790_400)
        #expect(RFC3339Timestamp.secondsSince1970("2025-01-02t04:00:00.250z") == 1_735_790_400.25)
        #expect(RFC3339Timestamp.secondsSince1970("2024-02-29T00:00:00Z") == 1_709_164_800)
        for bad in [
            "2025-01-02", "2025-13-02T04:00:00Z", "2025-01-02T04:00:00", "2025-01-02T04:00:00+0200",
            "2025-01-02T04:00:00.Z", "2025-02-29T00:00:00Z", "2025-01-02 04:00:00Z", "2025-01-02T04:00:00Zx",
        ] {
            #expect(RFC3339Timestamp.secondsSince1970(bad) == nil, "\(bad)")
        }
    }

    /// What TLS reporters write: no zone (Microsoft, read as UTC), a space for the T, long fractions.
    @Test func lenientFormsOfReporters() {
        #expect(RFC3339Timestamp.secondsSince1970("2021-01-01T00:00:00", lenient: true) == 1_609_459_200)
        #expect(RFC3339Timestamp.secondsSince1970("2021-01-01 00:00:00Z", lenient: true) == 1_609_459_200)
        #expect(RFC3339Timestamp.secondsSince1970("2021-01-01T00:00:00.0000000", lenient: true) == 1_609_459_200)
        #expect(RFC3339Timestamp.secondsSince1970("2021-01-01T00:00:00+01:00", lenient: true) == 1_609_455_600)
        #expect(RFC3339Timestamp.secondsSince1970("2021-01-01", lenient: true) == nil)
        #expect(RFC3339Timestamp.secondsSince1970("2021-01-01T00:00", lenient: true) == nil)
    }
}
