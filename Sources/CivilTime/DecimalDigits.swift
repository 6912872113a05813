/// Decimal numbers written straight into bytes, for what is built per request or per log line: zero-padded
/// fields of timestamps (the HTTP `Date` field, the logger's `ts=`) and the integers of an access log line.
///
/// ```swift
/// var bytes: [UInt8] = []
/// DecimalDigits.append(7, width: 2, to: &bytes)   // "07"
/// DecimalDigits.append(-1234, to: &bytes)         // "07-1234"
/// ```
package enum DecimalDigits {
    /// Appends the lowest `width` decimal digits of `value`, zero-padded; a negative value counts as 0.
    package static func append(_ value: Int, width: Int, to buffer: inout [UInt8]) {
        append(UInt(max(0, value)), digits: max(1, width), to: &buffer)
    }

    /// Appends `value` in as few digits as it takes, with a `-` when negative.
    package static func append(_ value: Int, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var digits = 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        append(magnitude, digits: digits, to: &buffer)
    }

    /// Writes the lowest `digits` digits of `value` on the stack, then appends them byte by byte (cheaper than
    /// a generic append for a handful of bytes).
    private static func append(_ value: UInt, digits: Int, to buffer: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: digits) { text in
            fill(text, with: value)
            for byte in text { buffer.append(byte) }
        }
    }

    /// Fills `text` with the lowest `text.count` digits of `value`, zero-padded, from the right: one division
    /// by the constant 10 per digit.
    package static func fill(_ text: UnsafeMutableBufferPointer<UInt8>, with value: UInt) {
        var rest = value
        for index in text.indices.reversed() {
            text[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
    }
}
