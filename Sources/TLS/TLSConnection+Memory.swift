internal import COpenSSL

// MARK: - In-memory transport (BIO pair)

extension TLSConnection {
    /// Memory mode: hands bytes received from the peer to OpenSSL.
    /// - Returns: How many bytes were accepted (the pair buffers about 17 KB; feed the rest after reading).
    package func writeInbound(_ bytes: [UInt8]) -> Int {
        guard let networkBIO = memoryBIO, !bytes.isEmpty else { return 0 }
        let written = bytes.withUnsafeBytes { BIO_write(networkBIO, $0.baseAddress, Int32($0.count)) }
        return max(0, Int(written))
    }

    /// Memory mode: takes every byte OpenSSL has queued for the peer.
    package func readOutbound() -> [UInt8] {
        guard let networkBIO = memoryBIO else { return [] }
        var output: [UInt8] = []
        while true {
            let pending = Int(BIO_ctrl_pending(networkBIO))
            if pending == 0 { return output }
            var chunk = [UInt8](repeating: 0, count: pending)
            let count = chunk.withUnsafeMutableBytes { BIO_read(networkBIO, $0.baseAddress, Int32($0.count)) }
            if count <= 0 { return output }
            output.append(contentsOf: chunk.prefix(Int(count)))
        }
    }

    /// Reads decrypted data as an array (convenience over ``read(into:)``).
    package func read(maximumCount: Int) -> TLSOperationResult<[UInt8]> {
        var bytes = [UInt8](repeating: 0, count: maximumCount)
        switch bytes.withUnsafeMutableBytes({ read(into: $0) }) {
        case .complete(let count):
            return .complete(Array(bytes.prefix(count)))
        case .incomplete(let want):
            return .incomplete(want)
        case .failed(let error):
            return .failed(error)
        }
    }

    /// Writes an array (convenience over ``write(_:)-(UnsafeRawBufferPointer)``).
    package func write(_ bytes: [UInt8]) -> TLSOperationResult<Int> {
        bytes.withUnsafeBytes { write($0) }
    }
}
