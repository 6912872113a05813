/// The base64 decoder for bodies (RFC 2045 §6.8), tolerant of how mailers wrap it and strict about the rest.
///
/// Line breaks and whitespace anywhere are skipped, and missing final padding is accepted. Any other byte outside
/// the alphabet, data after `=` padding, or a lone final sextet is refused: RFC 2045 lets a decoder ignore foreign
/// bytes, but in a report attachment they mean corruption, and a refusal says so instead of handing on garbage.
enum MIMEBase64 {
    /// Marks a byte outside the alphabet in ``table``.
    private static let invalid: UInt8 = 0xFF

    /// The sextet of each alphabet byte, ``invalid`` for the others.
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(value)
        }
        return table
    }()

    /// Decodes `input`.
    /// - Throws: ``MIMEError/Code/invalidEncoding`` or, past `limit` bytes of output, ``MIMEError/Code/tooLarge``.
    static func decode(_ input: ArraySlice<UInt8>, limit: Int) throws(MIMEError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(input.count / 4 * 3 + 2, limit))
        var quantum: UInt32 = 0
        var sextets = 0
        var padded = false
        for (offset, byte) in input.enumerated() {
            if MIMEText.isWhitespace(byte) || byte == MIMEText.lineFeed || byte == MIMEText.carriageReturn {
                continue
            }
            if byte == UInt8(ascii: "=") {
                padded = true
                continue
            }
            let value = table[Int(byte)]
            guard value != invalid, !padded else {
                let what = padded ? "data after padding" : "a byte outside the base64 alphabet"
                throw MIMEError(.invalidEncoding, "base64 body has \(what) at offset \(offset)")
            }
            quantum = quantum << 6 | UInt32(value)
            sextets += 1
            if sextets == 4 {
                output.append(UInt8(truncatingIfNeeded: quantum >> 16))
                output.append(UInt8(truncatingIfNeeded: quantum >> 8))
                output.append(UInt8(truncatingIfNeeded: quantum))
                quantum = 0
                sextets = 0
                guard output.count <= limit else { throw tooLarge(limit) }
            }
        }
        switch sextets {
        case 1:
            throw MIMEError(.invalidEncoding, "base64 body ends with a single sextet")
        case 2:
            output.append(UInt8(truncatingIfNeeded: quantum >> 4))
        case 3:
            output.append(UInt8(truncatingIfNeeded: quantum >> 10))
            output.append(UInt8(truncatingIfNeeded: quantum >> 2))
        default:
            break
        }
        guard output.count <= limit else { throw tooLarge(limit) }
        return output
    }

    private static func tooLarge(_ limit: Int) -> MIMEError {
        MIMEError(.tooLarge, "decoded base64 body exceeds the limit of \(limit) bytes")
    }
}
