import CivilTime
import Foundation
import JSON

/// Reads an RFC 8460 §4.4 report from its JSON text, strictly bounded and tolerant of what real senders write.
///
/// Tolerated, because real reporters send them: `mx-host` as a string or an array, date-times without a zone,
/// `contact-info: null`, a missing `policy-string`, `mx-host`, `failure-details` or `summary` member, empty
/// strings for absent values, a `report-id` written as a number, and unknown `policy-type`s and `result-type`s
/// (kept verbatim). Refused: anything that is not JSON (RFC 8259, valid UTF-8, at most 32 levels deep), a
/// missing `organization-name`, `report-id`, `date-range` or `policies`, negative or fractional counts, and
/// anything beyond ``TLSReportLimits``.
///
/// ```swift
/// let report = try TLSReportParser.parse(Array(body))
/// ```
package enum TLSReportParser {
    /// Parses one report.
    /// - Throws: ``TLSReportError`` naming the field at fault.
    package static func parse(_ json: [UInt8], limits: TLSReportLimits = .standard) throws(TLSReportError) -> TLSReport
    {
        guard json.count <= limits.maximumBytes else {
            throw TLSReportError.tooLarge.with(message: "The report is larger than \(limits.maximumBytes) bytes.")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(json)
        } catch {
            throw TLSReportError.notJSON.with(message: "The report is not valid JSON: \(error.message)")
        }
        var reader = Reader(limits: limits)
        return try reader.report(value)
    }

    /// Walks one document, counting failure details against the limits.
    private struct Reader {
        let limits: TLSReportLimits
        var failureDetails = 0

        mutating func report(_ value: JSONValue) throws(TLSReportError) -> TLSReport {
            guard case .object = value else { throw invalid("the report", "must be a JSON object") }
            let organization = try requiredString(value, "organization-name", in: "")
            let reportID: String
            if let number = value["report-id"]?.intValue {
                reportID = String(number)
            } else {
                reportID = try requiredString(value, "report-id", in: "")
            }
            guard let range = value["date-range"], case .object = range else {
                throw invalid("date-range", "is required and must be an object")
            }
            let start = try dateTime(range, "start-datetime")
            let end = try dateTime(range, "end-datetime")
            guard end >= start else { throw invalid("date-range", "ends before it starts") }
            let contact = try optionalString(value, "contact-info", in: "")
            let policies = try list(value["policies"], "policies", limit: limits.maximumPolicies, required: true)
            var parsed: [TLSReportPolicy] = []
            for (index, element) in policies.enumerated() {
                parsed.append(try policy(element, path: "policies[\(index)]"))
            }
            return TLSReport(
                organizationName: organization,
                start: start,
                end: end,
                contactInfo: contact,
                reportID: reportID,
                policies: parsed
            )
        }

        private mutating func policy(_ value: JSONValue, path: String) throws(TLSReportError) -> TLSReportPolicy {
            guard case .object = value else { throw invalid(path, "must be an object") }
            guard let policy = value["policy"], case .object = policy else {
                throw invalid("\(path).policy", "is required and must be an object")
            }
            let policyPath = "\(path).policy"
            let type = try requiredString(policy, "policy-type", in: policyPath)
            let domain = try requiredString(policy, "policy-domain", in: policyPath)
            let lines = try strings(policy["policy-string"], "\(policyPath).policy-string")
            let mxHosts = try strings(policy["mx-host"], "\(policyPath).mx-host")
            var successful = 0
            var failed = 0
            if let summary = value["summary"], summary != .null {
                guard case .object = summary else { throw invalid("\(path).summary", "must be an object") }
                successful = try count(summary, "total-successful-session-count", in: "\(path).summary")
                failed = try count(summary, "total-failure-session-count", in: "\(path).summary")
            }
            var details: [TLSReportFailure] = []
            let elements = try list(
                value["failure-details"],
                "\(path).failure-details",
                limit: limits.maximumFailureDetails - failureDetails,
                required: false
            )
            failureDetails += elements.count
            for (index, element) in elements.enumerated() {
                details.append(try failure(element, path: "\(path).failure-details[\(index)]"))
            }
            return TLSReportPolicy(
                policyType: type,
                policyString: lines,
                policyDomain: domain,
                mxHosts: mxHosts,
                successfulSessions: successful,
                failedSessions: failed,
                failureDetails: details
            )
        }

        private func failure(_ value: JSONValue, path: String) throws(TLSReportError) -> TLSReportFailure {
            guard case .object = value else { throw invalid(path, "must be an object") }
            return TLSReportFailure(
                resultType: try requiredString(value, "result-type", in: path),
                sendingMTAIP: try optionalString(value, "sending-mta-ip", in: path),
                receivingMXHostname: try optionalString(value, "receiving-mx-hostname", in: path),
                receivingMXHelo: try optionalString(value, "receiving-mx-helo", in: path),
                receivingIP: try optionalString(value, "receiving-ip", in: path),
                failedSessionCount: try count(value, "failed-session-count", in: path),
                additionalInformation: try optionalString(value, "additional-information", in: path),
                failureReasonCode: try optionalString(value, "failure-reason-code", in: path)
            )
        }

        // MARK: - Values

        private func list(
            _ value: JSONValue?,
            _ path: String,
            limit: Int,
            required: Bool
        ) throws(TLSReportError) -> [JSONValue] {
            let elements: [JSONValue]
            switch value {
            case .array(let array)?: elements = array
            case .object?: elements = [value ?? .null]  // a lone object where an array belongs
            case .null?, nil:
                guard !required else { throw invalid(path, "is required and must be an array") }
                elements = []
            default: throw invalid(path, "must be an array")
            }
            guard elements.count <= limit else {
                throw TLSReportError.tooManyElements.with(message: "\(path) has more elements than allowed.")
            }
            return elements
        }

        /// A list of strings written as an array, a single string, or absent.
        private func strings(_ value: JSONValue?, _ path: String) throws(TLSReportError) -> [String] {
            switch value {
            case nil, .null?: return []
            case .string(let text)?: return text.isEmpty ? [] : [try bounded(text, path)]
            case .array(let elements)?:
                guard elements.count <= limits.maximumListElements else {
                    throw TLSReportError.tooManyElements.with(message: "\(path) has more elements than allowed.")
                }
                var result: [String] = []
                for (index, element) in elements.enumerated() {
                    guard case .string(let text) = element else {
                        throw invalid("\(path)[\(index)]", "must be a string")
                    }
                    result.append(try bounded(text, "\(path)[\(index)]"))
                }
                return result
            default: throw invalid(path, "must be a string or an array of strings")
            }
        }

        private func requiredString(
            _ object: JSONValue,
            _ key: String,
            in path: String
        ) throws(TLSReportError)
            -> String
        {
            guard let text = try optionalString(object, key, in: path) else {
                throw invalid(joined(path, key), "is required and must be a non-empty string")
            }
            return text
        }

        /// A string member; absent, `null` and `""` are all nil.
        private func optionalString(
            _ object: JSONValue,
            _ key: String,
            in path: String
        ) throws(TLSReportError)
            -> String?
        {
            switch object[key] {
            case nil, .null?: return nil
            case .string(let text)?:
                let trimmed = text.trimmingSpaces
                return trimmed.isEmpty ? nil : try bounded(trimmed, joined(path, key))
            default: throw invalid(joined(path, key), "must be a string")
            }
        }

        private func count(_ object: JSONValue, _ key: String, in path: String) throws(TLSReportError) -> Int {
            switch object[key] {
            case nil, .null?: return 0
            case .int(let value)?:
                guard value >= 0, value <= limits.maximumSessionCount else {
                    throw invalid(joined(path, key), "must be between 0 and \(limits.maximumSessionCount)")
                }
                return value
            default: throw invalid(joined(path, key), "must be a non-negative integer")
            }
        }

        private func dateTime(_ object: JSONValue, _ key: String) throws(TLSReportError) -> Date {
            guard let text = object[key]?.stringValue,
                let seconds = RFC3339Timestamp.secondsSince1970(text.trimmingSpaces, lenient: true)
            else {
                throw invalid("date-range.\(key)", "is required and must be an RFC 3339 date-time")
            }
            return Date(timeIntervalSince1970: seconds)
        }

        /// `text` within the length limit, NUL characters replaced (PostgreSQL text cannot hold them).
        private func bounded(_ text: String, _ path: String) throws(TLSReportError) -> String {
            guard text.unicodeScalars.count <= limits.maximumStringLength else {
                throw invalid(path, "is longer than \(limits.maximumStringLength) characters")
            }
            guard text.utf8.contains(0) else { return text }
            return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
        }

        private func joined(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        private func invalid(_ path: String, _ rule: String) -> TLSReportError {
            TLSReportError.invalidReport.with(message: "\(path) \(rule) (RFC 8460 §4.4).")
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r\n" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
