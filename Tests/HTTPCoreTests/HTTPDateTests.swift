import Testing

@testable import HTTPCore

@Suite struct HTTPDateTests {
    @Test func formatsRFC9110Example() {
        #expect(HTTPDate.format(epochSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func formatsEpochAndLeapDays() {
        #expect(HTTPDate.format(epochSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(epochSeconds: 951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(epochSeconds: 1_709_251_199) == "Thu, 29 Feb 2024 23:59:59 GMT")
        #expect(HTTPDate.format(epochSeconds: 4_107_542_400) == "Mon, 01 Mar 2100 00:00:00 GMT")
    }

    @Test func clampsOutOfRangeTimes() {
        #expect(HTTPDate.format(epochSeconds: -5) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(epochSeconds: .max) == "Fri, 31 Dec 9999 23:59:59 GMT")
    }

    @Test func writesTwentyNineBytes() {
        var bytes: [UInt8] = []
        HTTPDate.write(epochSeconds: 1_795_000_000, into: &bytes)
        #expect(bytes.count == 29)
    }

    @Test func cacheRebuildsOncePerSecond() {
        var cache = HTTPDateCache()
        let first = cache.string(epochSeconds: 784_111_777)
        #expect(first == "Sun, 06 Nov 1994 08:49:37 GMT")
        for _ in 0..<100 { _ = cache.bytes(epochSeconds: 784_111_777) }
        #expect(cache.rebuildCount == 1)
        #expect(cache.string(epochSeconds: 784_111_778) == "Sun, 06 Nov 1994 08:49:38 GMT")
        #expect(cache.bytes(epochSeconds: 784_111_778) == Array("Sun, 06 Nov 1994 08:49:38 GMT".utf8))
        #expect(cache.rebuildCount == 2)
    }
}
