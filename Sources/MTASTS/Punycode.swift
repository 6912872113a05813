/// RFC 3492 Punycode, the Bootstring profile used by IDNA to turn U-labels into A-labels.
///
/// Works on Unicode scalars; the caller adds or strips the `xn--` ACE prefix.
/// Digits are emitted in lower case; decoding accepts either case (RFC 3492 §5).
///
/// ```swift
/// try Punycode.encode("bücher")    // "bcher-kva"
/// try Punycode.decode("bcher-kva") // "bücher"
/// ```
package enum Punycode {
    // RFC 3492 §5 parameter values for Punycode.
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700
    private static let initialBias = 72
    private static let initialN = 0x80
    private static let delimiter: UInt8 = 0x2D  // "-"
    /// RFC 3492 §6.4: implementations must detect overflow; we use the 32-bit unsigned range it describes.
    private static let maxInt = Int(UInt32.max)

    /// Encodes a Unicode string as Punycode (without the `xn--` prefix).
    /// - Parameter input: Any string; basic (ASCII) code points are copied, the rest encoded as deltas.
    /// - Returns: The ASCII Punycode string, e.g. `"mnchen-3ya"` for `"münchen"`.
    /// - Throws: `PunycodeError.overflow` for inputs too large for the RFC's integer range.
    package static func encode(_ input: String) throws(PunycodeError) -> String {
        let codePoints = input.unicodeScalars.map { Int($0.value) }
        var output: [UInt8] = codePoints.filter { $0 < initialN }.map { UInt8($0) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append(delimiter) }

        var n = initialN
        var delta = 0
        var bias = initialBias
        while handled < codePoints.count {
            // RFC 3492 §6.3: m = the smallest code point >= n in the input.
            guard let m = codePoints.filter({ $0 >= n }).min() else { break }
            let (step, stepOverflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !stepOverflow, step <= maxInt - delta else { throw .overflow }
            delta += step
            n = m
            for c in codePoints {
                if c < n {
                    delta += 1
                    guard delta <= maxInt else { throw .overflow }
                }
                guard c == n else { continue }
                var q = delta
                var k = base
                while true {
                    let t = threshold(k, bias: bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta, points: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes a Punycode string (without the `xn--` prefix) back to Unicode.
    /// - Parameter input: ASCII Punycode such as `"bcher-kva"`.
    /// - Returns: The decoded string, e.g. `"bücher"`.
    /// - Throws: `PunycodeError` for non-ASCII input, bad digits, truncation, overflow or invalid code points.
    package static func decode(_ input: String) throws(PunycodeError) -> String {
        let bytes = Array(input.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { throw .nonBasicInput }
        var output: [Int] = []
        var position = 0
        // RFC 3492 §6.2: copy everything before the last delimiter; consume the delimiter only if
        // at least one code point preceded it (so a leading "-" is parsed as a digit and fails).
        if let last = bytes.lastIndex(of: delimiter), last > 0 {
            output = bytes[..<last].map { Int($0) }
            position = last + 1
        }

        var n = initialN
        var i = 0
        var bias = initialBias
        while position < bytes.count {
            let oldI = i
            var weight = 1
            var k = base
            while true {
                guard position < bytes.count else { throw .truncated }
                guard let value = digitValue(bytes[position]) else { throw .invalidDigit }
                position += 1
                let (scaled, scaledOverflow) = value.multipliedReportingOverflow(by: weight)
                guard !scaledOverflow, scaled <= maxInt - i else { throw .overflow }
                i += scaled
                let t = threshold(k, bias: bias)
                if value < t { break }
                let (nextWeight, weightOverflow) = weight.multipliedReportingOverflow(by: base - t)
                guard !weightOverflow, nextWeight <= maxInt else { throw .overflow }
                weight = nextWeight
                k += base
            }
            let count = output.count + 1
            bias = adapt(i - oldI, points: count, first: oldI == 0)
            guard i / count <= maxInt - n else { throw .overflow }
            n += i / count
            i %= count
            // Decoded code points must be non-basic (§6.2 "if n is a basic code point then fail")
            // and real Unicode scalars (no surrogates, at most U+10FFFF).
            guard n >= initialN, let scalarValue = UInt32(exactly: n), Unicode.Scalar(scalarValue) != nil else {
                throw .invalidCodePoint
            }
            output.insert(n, at: i)
            i += 1
        }
        var result = String.UnicodeScalarView()
        for value in output {
            // Every element is either a copied ASCII byte or was checked above.
            guard let scalarValue = UInt32(exactly: value), let scalar = Unicode.Scalar(scalarValue) else {
                throw .invalidCodePoint
            }
            result.append(scalar)
        }
        return String(result)
    }

    // MARK: - Helpers (RFC 3492 §6.1 and §5)

    private static func threshold(_ k: Int, bias: Int) -> Int {
        if k <= bias { return tMin }
        if k >= bias + tMax { return tMax }
        return k - bias
    }

    private static func adapt(_ delta: Int, points: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    /// 0...25 map to "a"..."z", 26...35 to "0"..."9".
    private static func digit(_ value: Int) -> UInt8 {
        value < 26 ? UInt8(0x61 + value) : UInt8(0x30 + value - 26)
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte) - 0x30 + 26
        case 0x41...0x5A: Int(byte) - 0x41
        case 0x61...0x7A: Int(byte) - 0x61
        default: nil
        }
    }
}

/// Why a Punycode conversion failed.
package enum PunycodeError: Error, Equatable, Sendable {
    /// A value exceeded the 32-bit range RFC 3492 §6.4 requires implementations to guard.
    case overflow
    /// The encoded input contained a non-ASCII character.
    case nonBasicInput
    /// A character that is not a base-36 digit appeared after the delimiter.
    case invalidDigit
    /// The input ended in the middle of a variable-length integer.
    case truncated
    /// A decoded value was basic, a surrogate or beyond U+10FFFF.
    case invalidCodePoint
}
