/// Zero-padded decimal fields written straight into bytes, for the timestamps built per request or per log line
/// (the HTTP `Date` field, the logger's `ts=`).
///
/// ```swift
/// var bytes: [UInt8] = []
/// DecimalDigits.append(7, width: 2, to: &bytes)   // "07"
/// ```
package enum DecimalDigits {
    /// Appends the lowest `width` decimal digits of `value`, zero-padded; a negative value counts as 0.
    package static func append(_ value: Int, width: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<max(1, width) { divisor *= 10 }
        let value = max(0, value)
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / divisor % 10))
            divisor /= 10
        }
    }
}
