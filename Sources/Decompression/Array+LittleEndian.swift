// MARK: - Little-endian fields (gzip and ZIP store every number least significant byte first)

extension [UInt8] {
    /// The 16-bit little-endian number at `offset`; the caller has checked that two bytes are there.
    func littleEndian16(at offset: Int) -> Int {
        Int(self[offset]) | Int(self[offset + 1]) << 8
    }

    /// The 32-bit little-endian number at `offset`; the caller has checked that four bytes are there.
    func littleEndian32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16
            | UInt32(self[offset + 3]) << 24
    }
}
