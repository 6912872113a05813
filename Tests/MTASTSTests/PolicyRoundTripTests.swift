import TestSupport
import Testing

@testable import MTASTS

/// Property-style checks over policies generated from fixed seeds: render → parse → equal.
@Suite struct PolicyRoundTripTests {
    static let seeds: [UInt64] = [1, 2, 3, 42, 2026, 8461, 8460, 0xDEAD_BEEF]
    static let policiesPerSeed = 50

    static func makePolicy(_ random: inout SplitMix64) throws -> Policy {
        let mode = random.element(of: PolicyMode.allCases)
        let count = random.int(in: (mode == .none ? 0 : 1)...6)
        var mx: [MXPattern] = []
        while mx.count < count {
            let labels = (0..<random.int(in: 2...4)).map { _ in random.ldhLabel(length: random.int(in: 1...12)) }
            var text = labels.joined(separator: ".")
            // Keep the top-level label alphabetic so it is never all digits.
            text += "." + String(random.element(of: ["com", "net", "example", "xn--p1ai", "de"]))
            if random.int(in: 0...3) == 0 { text = "*." + text }
            if random.bool() { text = text.uppercased() }
            let pattern = try MXPattern(parsing: text)
            if !mx.contains(pattern) { mx.append(pattern) }
        }
        let maxAge =
            random.bool()
            ? random.int(in: 0...Policy.maxAgeLimit) : random.element(of: [0, 86_400, 604_800, Policy.maxAgeLimit])
        return try Policy(mode: mode, mx: mx, maxAge: maxAge)
    }

    @Test(arguments: seeds)
    func renderThenParseIsIdentity(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<Self.policiesPerSeed {
            let policy = try Self.makePolicy(&random)
            let text = policy.text
            #expect(text.hasPrefix("version: STSv1\r\nmode: \(policy.mode)\r\n"))
            #expect(text.hasSuffix("max_age: \(policy.maxAge)\r\n"))
            #expect(text.components(separatedBy: "\r\n").count == policy.mx.count + 4)
            #expect(try Policy(parsing: text) == policy)
        }
    }

    @Test(arguments: seeds)
    func lfOnlyShuffledAndDecoratedFormsParseEqual(seed: UInt64) throws {
        var random = SplitMix64(seed: seed ^ 0x5555)
        for _ in 0..<Self.policiesPerSeed {
            let policy = try Self.makePolicy(&random)
            var lines = policy.lines
            // Unknown fields anywhere, fields in any order, mx order preserved among themselves.
            lines.insert(
                "ext\(random.int(in: 0...99)): v\(random.int(in: 0...99))",
                at: random.int(in: 0...lines.count)
            )
            let mxLines = lines.filter { $0.hasPrefix("mx: ") }
            var others = lines.filter { !$0.hasPrefix("mx: ") }
            for index in stride(from: others.count - 1, to: 0, by: -1) {
                others.swapAt(index, random.int(in: 0...index))
            }
            let reordered = mxLines + others
            let terminator = random.bool() ? "\n" : "\r\n"
            let body =
                reordered.map { line in
                    line.replacingOccurrences(of: ": ", with: random.bool() ? ":" : ":\t ") + (random.bool() ? " " : "")
                }.joined(separator: terminator) + (random.bool() ? terminator : "")
            #expect(try Policy(parsing: body) == policy, "\(body.debugDescription)")
        }
    }
}

extension String {
    /// Minimal stand-ins so the tests do not need Foundation.
    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }
}
