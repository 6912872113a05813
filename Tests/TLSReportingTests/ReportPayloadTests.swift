import Foundation
import Testing

@testable import TLSReporting

@Suite struct ReportPayloadTests {
    @Test func anHTTPSBodyIsJSONOrGzipWhateverItsLabel() throws {
        let plain = try TLSReportParserTests.fixture("google.json")
        #expect(try ReportPayload.decodeHTTPBody(plain) == plain)
        #expect(try ReportPayload.decodeHTTPBody(try TLSReportParserTests.fixture("google.json.gz")) == plain)
    }

    @Test func aGoogleShapedMailGivesItsReport() throws {
        let documents = try ReportPayload.decodeMessage(try TLSReportParserTests.fixture("google-report.eml"))
        #expect(documents == [try TLSReportParserTests.fixture("google.json")])
        #expect(try TLSReportParser.parse(documents[0]).totalFailedSessions == 3)
    }

    @Test func aZipAttachmentInMultipartMixedGivesItsReport() throws {
        let documents = try ReportPayload.decodeMessage(try TLSReportParserTests.fixture("microsoft-zip.eml"))
        #expect(documents == [try TLSReportParserTests.fixture("microsoft.json")])
    }

    @Test func aMailWithoutAReportPartIsRefused() throws {
        #expect(throws: TLSReportError.undecodable) {
            try ReportPayload.decodeMessage(try TLSReportParserTests.fixture("no-report.eml"))
        }
        #expect(throws: TLSReportError.undecodable) { try ReportPayload.decodeMessage(Array("\r\n\r\n".utf8)) }
    }

    /// 100 MiB of zeros gzip to about 100 KiB: refused as too large, at the cap, not after inflating it all.
    @Test func aGzipBombIsTooLarge() throws {
        let bomb = try Self.gzip(zeros: 100 << 20)
        #expect(bomb.count < 200_000)
        #expect(throws: TLSReportError.tooLarge) { try ReportPayload.decodeHTTPBody(bomb) }
    }

    @Test func brokenGzipIsUndecodable() throws {
        var broken = try TLSReportParserTests.fixture("google.json.gz")
        broken[broken.count - 6] ^= 0xFF  // the CRC-32
        #expect(throws: TLSReportError.undecodable) { try ReportPayload.decodeHTTPBody(broken) }
        #expect(throws: TLSReportError.undecodable) { try ReportPayload.decodeHTTPBody([0x1F, 0x8B, 0x08]) }
    }

    /// Compresses `count` zero bytes with the system's gzip.
    static func gzip(zeros count: Int) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "head -c \(count) /dev/zero | gzip -9"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }
}
