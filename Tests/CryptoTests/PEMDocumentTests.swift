import Testing

@testable import Crypto

@Suite struct PEMDocumentTests {
    @Test func everyBlockOfTheLabelDecodesInOrderAndTextBetweenIsIgnored() {
        let first: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x05]
        let second: [UInt8] = Array(0..<200)
        let text =
            "Subject: leaf\n" + PEMDocument.encode(label: "CERTIFICATE", der: first) + "junk between\n"
            + PEMDocument.encode(label: "PRIVATE KEY", der: [1, 2, 3])
            + PEMDocument.encode(label: "CERTIFICATE", der: second)
        #expect(PEMDocument.decodeAll(label: "CERTIFICATE", from: text) == [first, second])
        #expect(PEMDocument.decodeAll(label: "PRIVATE KEY", from: text) == [[1, 2, 3]])
    }

    @Test func noBlockAnOpenBlockOrABadBodyIsNil() {
        #expect(PEMDocument.decodeAll(label: "CERTIFICATE", from: "") == nil)
        #expect(PEMDocument.decodeAll(label: "CERTIFICATE", from: "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n") == nil)
        let bad = "-----BEGIN CERTIFICATE-----\nMA*CAQU=\n-----END CERTIFICATE-----\n"
        #expect(PEMDocument.decodeAll(label: "CERTIFICATE", from: bad) == nil)
        let empty = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"
        #expect(PEMDocument.decodeAll(label: "CERTIFICATE", from: empty) == nil)
    }
}
