import Decompression
import Testing

@Suite struct DecompressionLimitsTests {
    @Test func reportLimits() {
        #expect(DecompressionLimits.reports.maximumOutputBytes == 16 << 20)
        #expect(DecompressionLimits.reports.maximumRatio == 200)
    }

    @Test func capIsTheSmallerOfCeilingAndRatioAboveTheFloor() {
        let limits = DecompressionLimits(maximumOutputBytes: 1_000_000, maximumRatio: 100)
        #expect(limits.outputLimit(forInputBytes: 0) == 65_536)
        #expect(limits.outputLimit(forInputBytes: 100) == 65_536)
        #expect(limits.outputLimit(forInputBytes: 1000) == 100_000)
        #expect(limits.outputLimit(forInputBytes: 20_000) == 1_000_000)
        // The ceiling wins over the floor.
        #expect(DecompressionLimits(maximumOutputBytes: 10, maximumRatio: 100).outputLimit(forInputBytes: 1) == 10)
    }

    @Test func noOverflowAndNoNegativeValues() {
        let huge = DecompressionLimits(maximumOutputBytes: .max, maximumRatio: .max)
        #expect(huge.outputLimit(forInputBytes: .max) == .max)
        let negative = DecompressionLimits(maximumOutputBytes: -5, maximumRatio: -1)
        #expect(negative.maximumOutputBytes == 0 && negative.maximumRatio == 0)
        #expect(negative.outputLimit(forInputBytes: 10) == 0)
        #expect(DecompressionLimits.reports.outputLimit(forInputBytes: -3) == 65_536)
    }
}
