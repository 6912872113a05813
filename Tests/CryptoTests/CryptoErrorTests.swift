import Testing

@testable import Crypto

@Suite struct CryptoErrorTests {
    @Test func equalityComparesCodeOnly() {
        #expect(CryptoError(.invalidKey, "a") == CryptoError(.invalidKey, "b"))
        #expect(CryptoError(.invalidKey, "a") != CryptoError(.invalidInput, "a"))
    }

    @Test func openSSLFailuresCarryDrainedQueue() throws {
        do {
            _ = try P256PrivateKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
            Issue.record("expected a decoding error")
        } catch let error as CryptoError {
            #expect(error.code == .decodingFailed)
            #expect(!error.openSSLErrors.isEmpty)
            #expect(error.description.hasPrefix("CryptoError.decodingFailed: cannot parse PEM private key ["))
            #expect(error.debugDescription.contains("P256PrivateKey.swift"))
        }
    }

    @Test func descriptionIsSafeToLog() throws {
        let key = try MasterKey.generate()
        let value = try key.encrypt(Array("top secret".utf8))
        do {
            _ = try key.decrypt(value, additionalData: [1])
            Issue.record("expected authentication failure")
        } catch let error as CryptoError {
            #expect(error.description == "CryptoError.authenticationFailed: AES-GCM authentication failed")
        }
    }
}
