/// The shared RFC 4648 engine behind ``Base64`` and ``Base64URL``.
///
/// Decoding is strict: characters outside the alphabet, misplaced or surplus `=`, a final group of one character
/// and non-zero unused bits in the last character (RFC 4648 §3.5, non-canonical encodings) are all rejected.
struct Base64Codec: Sendable {
    /// What to do with trailing `=` when decoding.
    enum PaddingPolicy: Sendable {
        /// `=` anywhere is an error (RFC 7515 §2, RFC 8555 §6.1).
        case forbidden
        /// Accept either correct padding or none.
        case optional
    }

    /// RFC 4648 §4 alphabet (`+`, `/`).
    static let standard = Base64Codec(alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    /// RFC 4648 §5 URL- and filename-safe alphabet (`-`, `_`).
    static let url = Base64Codec(alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    private let encodeTable: [UInt8]
    private let decodeTable: [UInt8]
    private static let invalid: UInt8 = 0xff

    private init(alphabet: String) {
        encodeTable = Array(alphabet.utf8)
        var table = [UInt8](repeating: Self.invalid, count: 256)
        for (index, character) in encodeTable.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        decodeTable = table
    }

    /// Encodes `bytes`, appending `=` padding when `padding` is true.
    func encode(_ bytes: [UInt8], padding: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(encodeTable[Int(group >> 18 & 0x3f)])
            output.append(encodeTable[Int(group >> 12 & 0x3f)])
            output.append(encodeTable[Int(group >> 6 & 0x3f)])
            output.append(encodeTable[Int(group & 0x3f)])
            index += 3
        }
        let remaining = bytes.count - index
        if remaining == 1 {
            let group = UInt32(bytes[index]) << 16
            output.append(encodeTable[Int(group >> 18 & 0x3f)])
            output.append(encodeTable[Int(group >> 12 & 0x3f)])
            if padding {
                output.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")])
            }
        } else if remaining == 2 {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            output.append(encodeTable[Int(group >> 18 & 0x3f)])
            output.append(encodeTable[Int(group >> 12 & 0x3f)])
            output.append(encodeTable[Int(group >> 6 & 0x3f)])
            if padding {
                output.append(UInt8(ascii: "="))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes `text`; `nil` when it is not a canonical encoding under `padding`.
    ///
    /// - Parameter ignoringWhitespace: skip space, tab, CR and LF anywhere (PEM bodies).
    func decode(_ text: some StringProtocol, padding: PaddingPolicy, ignoringWhitespace: Bool) -> [UInt8]? {
        decode(utf8: text.utf8, padding: padding, ignoringWhitespace: ignoringWhitespace)
    }

    /// ``decode(_:padding:ignoringWhitespace:)`` over UTF-8 bytes (a PEM body inside a larger buffer).
    func decode(
        utf8 text: some Collection<UInt8>,
        padding: PaddingPolicy,
        ignoringWhitespace: Bool
    ) -> [UInt8]? {
        var characters: [UInt8] = []
        characters.reserveCapacity(text.count)
        for character in text {
            if ignoringWhitespace, character == 0x20 || character == 0x09 || character == 0x0a || character == 0x0d {
                continue
            }
            characters.append(character)
        }
        var padCount = 0
        while let last = characters.last, last == UInt8(ascii: "=") {
            padCount += 1
            characters.removeLast()
        }
        if padCount > 0 {
            guard padding == .optional, padCount <= 2, (characters.count + padCount).isMultiple(of: 4) else {
                return nil
            }
        }
        let remainder = characters.count % 4
        guard remainder != 1 else {
            return nil
        }
        if padCount > 0, padCount != (4 - remainder) % 4 {
            return nil
        }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count / 4 * 3 + 2)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for character in characters {
            let value = decodeTable[Int(character)]
            guard value != Self.invalid else {
                return nil
            }
            accumulator = accumulator << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        // Leftover bits must be zero, otherwise two strings would decode to the same bytes (RFC 4648 §3.5).
        guard accumulator == 0 else {
            return nil
        }
        return output
    }
}
