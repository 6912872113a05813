internal import COpenSSL
import Synchronization

/// Session-ticket keys: the current key encrypts new tickets; the current and the previous key decrypt.
///
/// Rotate on a schedule (e.g. every few hours) with ``rotate()``: tickets issued before one rotation still resume
/// (and are replaced by a fresh ticket); tickets from two rotations ago fall back to a full handshake. For several
/// edge processes to share tickets, the same keys would have to be distributed; here each process has its own.
package final class TicketKeyRing: Sendable {
    /// One ticket key: a public name sent in the ticket, an AES-256-CBC key and an HMAC-SHA256 key.
    struct Key: Sendable {
        let name: [UInt8]
        let encryptionKey: [UInt8]
        let macKey: [UInt8]

        static let nameLength = 16

        static func random() throws -> Key {
            Key(name: try randomBytes(nameLength), encryptionKey: try randomBytes(32), macKey: try randomBytes(32))
        }
    }

    private struct Keys: Sendable {
        var current: Key
        var previous: Key?
    }

    private let keys: Mutex<Keys>

    /// Creates a ring with a fresh random current key and no previous key.
    /// - Throws: ``TLSError/configuration`` when the random generator fails.
    package init() throws {
        self.keys = Mutex(Keys(current: try Key.random(), previous: nil))
    }

    /// Makes a new random key current and keeps the old current key as the previous one.
    /// - Throws: ``TLSError/configuration`` when the random generator fails.
    package func rotate() throws {
        let fresh = try Key.random()
        keys.withLock { keys in
            keys.previous = keys.current
            keys.current = fresh
        }
    }

    /// The key that encrypts new tickets.
    var currentKey: Key {
        keys.withLock { $0.current }
    }

    /// The current or previous key whose name is `name`.
    func key(named name: UnsafeRawBufferPointer) -> Key? {
        keys.withLock { keys in
            if keys.current.name.elementsEqual(name) {
                return keys.current
            }
            if let previous = keys.previous, previous.name.elementsEqual(name) {
                return previous
            }
            return nil
        }
    }

    private static func randomBytes(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        ERR_clear_error()
        guard RAND_bytes(&bytes, Int32(count)) == 1 else {
            throw TLSError.configuration.draining(message: "RAND_bytes")
        }
        return bytes
    }
}
