// MARK: - Entries

extension ZipArchive {
    /// One file of the archive, as its central directory header describes it.
    package struct Entry: Sendable, Equatable {
        /// A compression method (APPNOTE §4.4.5); only ``stored`` and ``deflated`` can be read.
        package struct Method: Sendable, Hashable, CustomStringConvertible {
            /// The method number.
            package let rawValue: UInt16

            /// Wraps a method number.
            package init(rawValue: UInt16) {
                self.rawValue = rawValue
            }

            /// Method 0: the data as is.
            package static let stored = Method(rawValue: 0)
            /// Method 8: raw DEFLATE.
            package static let deflated = Method(rawValue: 8)

            /// `stored`, `deflated` or `method <number>`.
            package var description: String {
                switch self {
                case .stored: "stored"
                case .deflated: "deflated"
                default: "method \(rawValue)"
                }
            }
        }

        /// The path inside the archive, `/`-separated (a trailing `/` marks a directory).
        package let name: String
        /// How the data is compressed.
        package let method: Method
        /// The size of the entry's data in the archive.
        package let compressedSize: Int
        /// The size once decompressed, as the archive declares it.
        package let uncompressedSize: Int
        /// The CRC-32 of the decompressed data, as the archive declares it.
        package let crc32: UInt32
        /// Whether the entry is encrypted (general purpose flag bit 0 or 6); such entries cannot be read.
        package let isEncrypted: Bool
        /// Where the entry's local header starts.
        let localHeaderOffset: Int
    }
}
