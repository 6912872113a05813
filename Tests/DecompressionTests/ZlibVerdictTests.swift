import Decompression
import Testing

/// Inflate against zlib on 1000 streams zlib wrote with random levels, strategies, window and memory sizes, every
/// other one damaged afterwards (`Fixtures/make-fixtures.py`): the same output and length where zlib accepts,
/// `truncated` where zlib wants more input, and an error where zlib reports one.
@Suite struct ZlibVerdictTests {
    @Test func sameVerdictAsZlib() throws {
        let streams = try Fixture.bytes("zlib-verdicts.bin")
        let verdicts = String(decoding: try Fixture.bytes("zlib-verdicts.txt"), as: UTF8.self).split(separator: "\n")
        let limits = DecompressionLimits(maximumOutputBytes: 1 << 24, maximumRatio: 1 << 20)
        var offset = 0
        for (index, verdict) in verdicts.enumerated() {
            let length = streams[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
            let stream = streams[offset + 4..<offset + 4 + length]
            offset += 4 + length
            let result = Result { () throws(DecompressionError) in try Inflate.decompress(stream, limits: limits) }
            switch (verdict.split(separator: " "), result) {
            case (let fields, .success(let (output, consumed))) where fields[0] == "ok":
                let expected = "ok \(consumed) \(hex(CRC32.checksum(output))) \(output.count)"
                #expect(verdict == expected, "stream \(index)")
            case (let fields, .failure(let error)) where fields == ["error", "truncated"]:
                #expect(error == .truncated, "stream \(index)")
            case (let fields, .failure(let error)) where fields == ["error"]:
                #expect(error == .invalidData, "stream \(index): \(error)")
            default:
                Issue.record("stream \(index): zlib says \(verdict), Inflate \(result)")
            }
        }
        #expect(offset == streams.count && verdicts.count == 1000)
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
