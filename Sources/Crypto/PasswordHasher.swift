/// Hashes and verifies passwords with scrypt, storing everything needed to verify in one PHC-style string.
///
/// Format: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`, where `ln` is log2(N) and salt (16 bytes) and hash (32 bytes)
/// are standard base64 without padding (PHC string format). The password is hashed as its UTF-8 bytes, without
/// Unicode normalisation.
///
/// ```swift
/// let hasher = PasswordHasher()
/// let stored = try hasher.hash(password: "correct horse")
/// hasher.verify(password: "correct horse", against: stored)  // true
/// ```
package struct PasswordHasher: Sendable {
    /// scrypt cost parameters, restricted to ranges that keep one verification bounded in time and memory.
    package struct Parameters: Sendable, Hashable, CustomStringConvertible {
        /// Allowed log2(N).
        package static let allowedLogN: ClosedRange<Int> = 10...20
        /// Allowed block size r.
        package static let allowedR: ClosedRange<Int> = 1...16
        /// Allowed parallelism p.
        package static let allowedP: ClosedRange<Int> = 1...4
        /// Upper bound on the memory one hash may need (`128·r·N`), 256 MiB: e.g. ln=20 allows r ≤ 2.
        package static let maximumMemory: UInt64 = 256 << 20

        /// The production default: N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds).
        package static let `default` = Parameters(validatedLogN: 15, r: 8, p: 1)
        /// Cheap parameters for tests: N = 2^10, r = 8, p = 1.
        package static let fastForTesting = Parameters(validatedLogN: 10, r: 8, p: 1)

        /// log2 of the CPU/memory cost N.
        package let logN: Int
        /// Block size.
        package let r: Int
        /// Parallelism.
        package let p: Int

        /// Creates parameters, rejecting values outside the allowed ranges.
        ///
        /// - Throws: ``CryptoError/Code/invalidInput``.
        package init(logN: Int, r: Int, p: Int) throws {
            guard Self.allowedLogN.contains(logN), Self.allowedR.contains(r), Self.allowedP.contains(p),
                UInt64(128 * r) << UInt64(logN) <= Self.maximumMemory
            else {
                throw CryptoError(.invalidInput, "scrypt parameters out of range: ln=\(logN),r=\(r),p=\(p)")
            }
            self.init(validatedLogN: logN, r: r, p: p)
        }

        private init(validatedLogN logN: Int, r: Int, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// `ln=15,r=8,p=1`.
        package var description: String { "ln=\(logN),r=\(r),p=\(p)" }

        /// Parses `ln=…,r=…,p=…` (exactly this order) and validates the ranges.
        static func parse(_ text: Substring) -> Parameters? {
            let fields = text.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                return nil
            }
            func value(_ field: Substring, _ name: String) -> Int? {
                guard field.hasPrefix(name + "="), field.count <= name.count + 3 else {
                    return nil
                }
                return Int(field.dropFirst(name.count + 1))
            }
            guard let logN = value(fields[0], "ln"), let r = value(fields[1], "r"), let p = value(fields[2], "p")
            else {
                return nil
            }
            return try? Parameters(logN: logN, r: r, p: p)
        }
    }

    /// Salt length in bytes.
    package static let saltByteCount = 16
    /// Derived key length in bytes.
    package static let hashByteCount = 32
    private static let identifier = "scrypt"

    /// The parameters used for new hashes.
    package let parameters: Parameters

    /// Creates a hasher producing hashes with `parameters`.
    package init(parameters: Parameters = .default) {
        self.parameters = parameters
    }

    /// Hashes `password` with a fresh random salt.
    ///
    /// - Returns: the self-describing string, e.g. `$scrypt$ln=15,r=8,p=1$…$…`.
    /// - Throws: ``CryptoError`` if randomness or scrypt fails.
    package func hash(password: String) throws -> String {
        let salt = try SecureRandom.bytes(count: Self.saltByteCount)
        let key = try Self.derive(password: password, salt: salt, parameters: parameters, length: Self.hashByteCount)
        return "$\(Self.identifier)$\(parameters)$\(Base64.encode(salt, padding: false))$"
            + Base64.encode(key, padding: false)
    }

    /// Returns whether `password` matches `encoded`, using the parameters stored in `encoded`.
    ///
    /// Malformed strings and parameters outside ``Parameters`` ranges return `false` without running scrypt.
    package func verify(password: String, against encoded: String) -> Bool {
        guard let stored = Self.parse(encoded),
            let key = try? Self.derive(
                password: password,
                salt: stored.salt,
                parameters: stored.parameters,
                length: stored.hash.count
            )
        else {
            return false
        }
        return ConstantTime.equals(key, stored.hash)
    }

    /// Returns whether `encoded` was made with parameters other than this hasher's (or cannot be parsed), so the
    /// caller should re-hash the password after a successful ``verify(password:against:)``.
    package func needsRehash(_ encoded: String) -> Bool {
        Self.parse(encoded)?.parameters != parameters
    }

    private static func derive(password: String, salt: [UInt8], parameters: Parameters, length: Int) throws -> [UInt8] {
        try Scrypt.derive(
            password: Array(password.utf8),
            salt: salt,
            n: 1 << UInt64(parameters.logN),
            r: UInt64(parameters.r),
            p: UInt64(parameters.p),
            length: length,
            maximumMemory: Parameters.maximumMemory + (16 << 20)
        )
    }

    private static func parse(_ encoded: String) -> (parameters: Parameters, salt: [UInt8], hash: [UInt8])? {
        guard encoded.utf8.count <= 256 else {
            return nil
        }
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == identifier,
            let parameters = Parameters.parse(parts[2]),
            // Lower bounds matter: scrypt output is a PBKDF2 stream, so a truncated hash would still verify.
            let salt = Base64.decode(parts[3]), (saltByteCount...64).contains(salt.count),
            let hash = Base64.decode(parts[4]), (hashByteCount...64).contains(hash.count)
        else {
            return nil
        }
        return (parameters, salt, hash)
    }
}
