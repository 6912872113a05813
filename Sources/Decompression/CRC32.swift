/// The CRC-32 of gzip (RFC 1952 §8) and ZIP: IEEE 802.3 polynomial, reflected, initial and final XOR `0xFFFFFFFF`.
///
/// Table-driven, one byte at a time. Feed the data in as many pieces as convenient.
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

    /// `table[n]` is the CRC register after shifting the byte `n` through it.
    private static let table: [UInt32] = (0..<256).map { byte in
        var register = UInt32(byte)
        for _ in 0..<8 {
            register = register & 1 == 1 ? (register >> 1) ^ polynomial : register >> 1
        }
        return register
    }

    /// The register, kept inverted between updates.
    private var register: UInt32 = 0xFFFF_FFFF

    /// Starts a checksum of no bytes (`value == 0`).
    package init() {}

    /// The checksum of every byte added so far.
    package var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// Adds `bytes` to the checksum.
    package mutating func update(_ bytes: ArraySlice<UInt8>) {
        let table = Self.table
        var register = self.register
        for byte in bytes {
            register = table[Int((register ^ UInt32(byte)) & 0xFF)] ^ (register >> 8)
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
