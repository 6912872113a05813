import Decompression
import Testing

@Suite struct DecompressionErrorTests {
    @Test func equalityComparesTheKindOnly() throws {
        let error = try #require(throws: DecompressionError.self) { try Inflate.decompress([0x07], limits: .reports) }
        #expect(error == .invalidData)
        #expect(error != .truncated)
        #expect(error.reason == "reserved block type 3")
        #expect(DecompressionError.truncated != .invalidData)
    }

    @Test func descriptionsAreSafeToLog() throws {
        let error = try #require(throws: DecompressionError.self) {
            try Gzip.decompress(Array("secret-token".utf8), limits: .reports)
        }
        #expect(error.description == "DecompressionError.invalidData: invalid data: not gzip (no 1f 8b magic)")
        #expect(!error.description.contains("secret"))
        #expect(error.debugDescription.hasPrefix(error.description + " at Decompression/Gzip.swift:"))
        #expect(DecompressionError.outputTooLarge.message == "output too large: output exceeds the limit")
    }
}
