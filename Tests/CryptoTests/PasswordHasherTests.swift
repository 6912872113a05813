import Testing

@testable import Crypto

@Suite struct PasswordHasherTests {
    let hasher = PasswordHasher(parameters: .fastForTesting)

    @Test func hashHasPHCFormat() throws {
        let encoded = try hasher.hash(password: "correct horse battery staple")
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 5)
        #expect(parts[1] == "scrypt")
        #expect(parts[2] == "ln=10,r=8,p=1")
        #expect(Base64.decode(parts[3])?.count == 16)
        #expect(Base64.decode(parts[4])?.count == 32)
        #expect(!parts[3].contains("=") && !parts[4].contains("="))
    }

    @Test func defaultParametersAreLn15R8P1() {
        #expect(PasswordHasher().parameters.description == "ln=15,r=8,p=1")
    }

    /// The production parameters need 32 MiB; this checks that the memory limit passed to OpenSSL suffices.
    @Test func defaultParametersRoundTrip() throws {
        let production = PasswordHasher()
        let encoded = try production.hash(password: "production")
        #expect(encoded.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
        #expect(production.verify(password: "production", against: encoded))
        #expect(!production.verify(password: "Production", against: encoded))
    }

    @Test func verifiesCorrectPasswordOnly() throws {
        let encoded = try hasher.hash(password: "s3cret")
        #expect(hasher.verify(password: "s3cret", against: encoded))
        #expect(!hasher.verify(password: "s3cret ", against: encoded))
        #expect(!hasher.verify(password: "", against: encoded))
    }

    @Test func saltIsRandom() throws {
        #expect(try hasher.hash(password: "same") != hasher.hash(password: "same"))
    }

    /// Generated independently with Python: hashlib.scrypt(b"hunter2 \xc3\xa9", salt=bytes(range(16)), n=1024, r=8,
    /// p=1, dklen=32), salt and hash in unpadded standard base64.
    @Test func verifiesHashProducedByPython() {
        let encoded = "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$+y/QIWtVDZ7+2kKdG35dY4i0oS24lv6GLBthD/0Z0cY"
        #expect(hasher.verify(password: "hunter2 é", against: encoded))
        #expect(PasswordHasher().verify(password: "hunter2 é", against: encoded))
        #expect(!hasher.verify(password: "hunter2 e", against: encoded))
    }

    @Test func rejectsMalformedOrAbsurdStrings() throws {
        let encoded = try hasher.hash(password: "pw")
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        let salt = parts[3]
        let hash = parts[4]
        let bad = [
            "",
            "$scrypt$ln=10,r=8,p=1$\(salt)",
            "$bcrypt$ln=10,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=30,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=9,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=20,r=16,p=1$\(salt)$\(hash)",
            "$scrypt$ln=10,r=17,p=1$\(salt)$\(hash)",
            "$scrypt$ln=10,r=8,p=5$\(salt)$\(hash)",
            "$scrypt$r=8,ln=10,p=1$\(salt)$\(hash)",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash)$",
            "$scrypt$ln=10,r=8,p=1$!!!!$\(hash)",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash.dropLast(4))",
            "$scrypt$ln=10,r=8,p=1$\(salt.dropLast(3))$\(hash)",
        ]
        for candidate in bad {
            #expect(!hasher.verify(password: "pw", against: candidate), "\(candidate)")
        }
        #expect(hasher.verify(password: "pw", against: encoded))
    }

    @Test func parameterValidation() {
        #expect(throws: CryptoError(.invalidInput, "")) { try PasswordHasher.Parameters(logN: 21, r: 8, p: 1) }
        #expect(throws: CryptoError(.invalidInput, "")) { try PasswordHasher.Parameters(logN: 15, r: 0, p: 1) }
        #expect(throws: CryptoError(.invalidInput, "")) { try PasswordHasher.Parameters(logN: 20, r: 8, p: 1) }
        #expect((try? PasswordHasher.Parameters(logN: 20, r: 2, p: 4)) != nil)
    }

    @Test func needsRehashWhenParametersDiffer() throws {
        let encoded = try hasher.hash(password: "pw")
        #expect(!hasher.needsRehash(encoded))
        #expect(PasswordHasher().needsRehash(encoded))
        #expect(hasher.needsRehash("garbage"))
    }
}
