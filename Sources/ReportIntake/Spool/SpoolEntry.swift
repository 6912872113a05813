package import Foundation
import JSON
package import Store

/// One accepted report waiting in the spool: the report's JSON and where it came from.
///
/// On disk: one line of JSON metadata (`token`, `channel`, `received_at` in Unix milliseconds, `client`), a line
/// feed, then the report exactly as decoded from the delivery.
///
/// ```swift
/// let entry = SpoolEntry(token: token, channel: .https, receivedAt: Date(), client: "192.0.2.1", report: json)
/// let same = try SpoolEntry(decoding: entry.encoded())
/// ```
package struct SpoolEntry: Sendable, Equatable {
    /// The reporting token the report was sent to.
    package var token: String
    package var channel: ReportChannel
    package var receivedAt: Date
    /// The sending client's address, for the operator.
    package var client: String?
    /// The report's JSON (decompressed).
    package var report: [UInt8]

    package init(token: String, channel: ReportChannel, receivedAt: Date, client: String?, report: [UInt8]) {
        self.token = token
        self.channel = channel
        self.receivedAt = receivedAt
        self.client = client
        self.report = report
    }

    /// The file's bytes.
    package func encoded() -> [UInt8] {
        let header: JSONValue = [
            "token": .string(token),
            "channel": .string(channel.rawValue),
            "received_at": .int(Int((receivedAt.timeIntervalSince1970 * 1000).rounded())),
            "client": .string(client),
        ]
        return header.serialized() + [0x0A] + report
    }

    /// Reads a spool file.
    /// - Throws: ``SpoolError/corrupt`` when the header is not what ``encoded()`` writes.
    package init(decoding bytes: [UInt8]) throws(SpoolError) {
        guard let newline = bytes.firstIndex(of: 0x0A),
            let header = try? JSONParser.parse(Array(bytes[..<newline])),
            let token = header["token"]?.stringValue,
            let channel = header["channel"]?.stringValue.flatMap(ReportChannel.init(rawValue:)),
            let milliseconds = header["received_at"]?.intValue
        else { throw SpoolError.corrupt }
        self.init(
            token: token,
            channel: channel,
            receivedAt: Date(timeIntervalSince1970: Double(milliseconds) / 1000),
            client: header["client"]?.stringValue,
            report: Array(bytes[(newline + 1)...])
        )
    }
}
