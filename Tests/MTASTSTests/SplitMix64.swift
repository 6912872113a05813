import Testing

/// A tiny seeded RNG (SplitMix64, Steele/Lea/Flood 2014) so generated test data is reproducible.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `range`; the modulo bias is irrelevant for test data.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    mutating func bool() -> Bool { next() & 1 == 1 }

    mutating func element<T>(of array: [T]) -> T {
        array[int(in: 0...(array.count - 1))]
    }

    /// An LDH label of `length` characters that starts and ends with a letter or digit.
    mutating func ldhLabel(length: Int) -> String {
        let edge = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let inner = edge + ["-"]
        return String(
            (0..<length).map { index in
                index == 0 || index == length - 1 ? element(of: edge) : element(of: inner)
            }
        ).replacingHyphensAtThirdPosition()
    }
}

extension String {
    /// Avoids the reserved `??--` form in generated labels.
    fileprivate func replacingHyphensAtThirdPosition() -> String {
        var characters = Array(self)
        if characters.count >= 4, characters[2] == "-", characters[3] == "-" { characters[3] = "x" }
        return String(characters)
    }
}

@Suite struct SplitMix64Tests {
    @Test func sameSeedSameSequence() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        #expect((0..<5).map { _ in first.next() } == (0..<5).map { _ in second.next() })
    }

    @Test func knownFirstOutput() {
        // Reference value of SplitMix64 seeded with 0 (first output of the Java/C reference implementation).
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    }
}
