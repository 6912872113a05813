/// The CRC-32 of gzip (RFC 1952 §8) and ZIP: IEEE 802.3 polynomial, reflected, initial and final XOR `0xFFFFFFFF`.
///
/// Table-driven, eight bytes at a time. Feed the data in as many pieces as convenient.
///
/// ```swift
/// var crc = CRC32()
/// crc.update(Array("1234".utf8))
/// crc.update(Array("56789".utf8))
/// crc.value == 0xCBF4_3926   // == CRC32.checksum(Array("123456789".utf8))
/// ```
package struct CRC32: Sendable, Equatable {
    /// The reflected polynomial 0x04C11DB7.
    private static let polynomial: UInt32 = 0xEDB8_8320

    /// Eight tables of 256 entries ("slicing by 8"): `tables[n]` is the register after shifting the byte `n`
    /// through it, and `tables[k * 256 + n]` the same followed by `k` zero bytes, so eight input bytes take eight
    /// independent lookups instead of eight dependent ones.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var register = UInt32(byte)
            for _ in 0..<8 {
                register = register & 1 == 1 ? (register >> 1) ^ polynomial : register >> 1
            }
            tables[byte] = register
        }
        for index in 256..<tables.count {
            let previous = tables[index - 256]
            tables[index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
        }
        return tables
    }()

    /// The register, kept inverted between updates.
    private var register: UInt32 = 0xFFFF_FFFF

    /// Starts a checksum of no bytes (`value == 0`).
    package init() {}

    /// The checksum of every byte added so far.
    package var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// Adds `bytes` to the checksum.
    package mutating func update(_ bytes: ArraySlice<UInt8>) {
        let tables = Self.tables
        var register = self.register
        var index = bytes.startIndex
        while bytes.endIndex - index >= 8 {
            let low =
                register
                ^ (UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
                    | UInt32(bytes[index + 3]) << 24)
            register =
                tables[7 * 256 + Int(low & 0xFF)] ^ tables[6 * 256 + Int(low >> 8 & 0xFF)]
                ^ tables[5 * 256 + Int(low >> 16 & 0xFF)] ^ tables[4 * 256 + Int(low >> 24)]
                ^ tables[3 * 256 + Int(bytes[index + 4])] ^ tables[2 * 256 + Int(bytes[index + 5])]
                ^ tables[256 + Int(bytes[index + 6])] ^ tables[Int(bytes[index + 7])]
            index += 8
        }
        while index < bytes.endIndex {
            register = tables[Int((register ^ UInt32(bytes[index])) & 0xFF)] ^ (register >> 8)
            index += 1
        }
        self.register = register
    }

    /// Adds `bytes` to the checksum.
    package mutating func update(_ bytes: [UInt8]) {
        update(bytes[...])
    }

    /// The CRC-32 of `bytes`.
    /// - Returns: The checksum, e.g. `0xCBF43926` for the ASCII digits `123456789`.
    package static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// The CRC-32 of `bytes`.
    /// - Returns: The checksum, e.g. `0xCBF43926` for the ASCII digits `123456789`.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        checksum(bytes[...])
    }
}
