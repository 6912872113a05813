/// How much output a decompression may produce before it is refused with ``DecompressionError/outputTooLarge``.
///
/// The cap for one input of `n` compressed bytes is `min(maximumOutputBytes, max(65_536, maximumRatio * n))`:
/// an absolute ceiling, and an expansion ratio so a small upload cannot make the server allocate much. The
/// 64 KiB floor keeps tiny inputs (a short report, an empty archive member) from being refused for their ratio.
/// Decompression stops as soon as the next byte would pass the cap, so no more than the cap is ever allocated.
///
/// ```swift
/// let json = try Gzip.decompress(body, limits: .reports)
/// let tight = DecompressionLimits(maximumOutputBytes: 1 << 20, maximumRatio: 50)
/// ```
package struct DecompressionLimits: Sendable, Equatable {
    /// The absolute ceiling on output bytes, whatever the input size.
    package var maximumOutputBytes: Int
    /// The largest accepted ratio of output bytes to compressed input bytes (above the 64 KiB floor).
    package var maximumRatio: Int

    /// Output below this size is never refused for its ratio.
    package static let ratioFloorBytes = 65_536

    /// Creates limits; negative values count as zero.
    package init(maximumOutputBytes: Int, maximumRatio: Int) {
        self.maximumOutputBytes = max(0, maximumOutputBytes)
        self.maximumRatio = max(0, maximumRatio)
    }

    /// Limits for TLS-RPT reports (RFC 8460 §5.3: gzip over HTTPS, or .gz/.zip mail attachments): 16 MiB of
    /// output at a ratio of at most 200.
    ///
    /// A report is JSON with one entry per policy and failure kind; even the largest senders' daily reports are
    /// well under a megabyte, and JSON of that kind compresses about 5–20:1 with gzip. DEFLATE itself reaches
    /// about 1030:1 on runs of one byte, which is what a gzip bomb is (100 MiB of zeros → ~100 KB). A ratio of 200
    /// is ten times more than real reports need yet caps a bomb of 100 KB at 16 MiB and one of 10 KB at 2 MiB.
    package static let reports = DecompressionLimits(maximumOutputBytes: 16 << 20, maximumRatio: 200)

    /// The cap on output for `inputBytes` compressed bytes: `min(maximumOutputBytes, max(65_536,
    /// maximumRatio * inputBytes))`, computed without overflow.
    /// - Parameter inputBytes: The size of the compressed input (for a ZIP entry, its compressed size).
    /// - Returns: The largest number of output bytes accepted.
    package func outputLimit(forInputBytes inputBytes: Int) -> Int {
        let (product, overflow) = maximumRatio.multipliedReportingOverflow(by: max(0, inputBytes))
        let byRatio = overflow ? Int.max : product
        return min(maximumOutputBytes, max(Self.ratioFloorBytes, byRatio))
    }
}
