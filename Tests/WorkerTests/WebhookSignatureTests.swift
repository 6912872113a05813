import Crypto
import Testing
import Worker

/// The signature against a vector computed outside Swift:
/// `python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", b"1767225600.{\"a\":1}", hashlib.sha256).hexdigest())'`.
@Suite struct WebhookSignatureTests {
    @Test func matchesAnIndependentHMAC() throws {
        let header = try WebhookSignature.header(
            secret: Array("whsec_test".utf8),
            timestamp: 1_767_225_600,
            body: Array(#"{"a":1}"#.utf8)
        )
        #expect(header == "sha256=6d204545ff126a339c00513d93603299c984074ce1331c3537c3f6c976b49019")
    }

    @Test func coversTheTimestampTheBodyAndTheSecret() throws {
        let body = Array(#"{"a":1}"#.utf8)
        let secret = Array("whsec_test".utf8)
        let reference = try WebhookSignature.header(secret: secret, timestamp: 1_767_225_600, body: body)
        #expect(try WebhookSignature.header(secret: secret, timestamp: 1_767_225_601, body: body) != reference)
        #expect(try WebhookSignature.header(secret: secret, timestamp: 1_767_225_600, body: body + [0x20]) != reference)
        #expect(try WebhookSignature.header(secret: secret + [0x31], timestamp: 1_767_225_600, body: body) != reference)
    }
}
