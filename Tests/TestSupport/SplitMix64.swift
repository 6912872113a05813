/// A tiny seeded generator (SplitMix64, Steele/Lea/Flood 2014), so generated test data and random splits are
/// reproducible from a seed.
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let size = generator.int(in: 1...16)
/// ```
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `range`; the modulo bias is irrelevant for test data.
    package mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// A fair coin.
    package mutating func bool() -> Bool { next() & 1 == 1 }

    /// One element of a non-empty array.
    package mutating func element<T>(of array: [T]) -> T {
        array[int(in: 0...(array.count - 1))]
    }
}
