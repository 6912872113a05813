// MARK: - What the fixture is fed and what it reports back

extension TLSRPTReporterFixture {
    /// The policy the sending MTA applied to a domain's sessions, as it hands it to libtlsrpt
    /// (`tlsrpt_init_policy`, `tlsrpt_add_policy_string`, `tlsrpt_add_mx_host_pattern`).
    package struct AppliedPolicy: Sendable {
        /// `sts`, `tlsa` or `no-policy-found` (RFC 8460 §4.4 `policy-type`).
        package var type: String
        /// `policy-string`: the lines of the policy, e.g. `["version: STSv1", "mode: testing", …]`.
        package var strings: [String]
        /// `mx-host`: the policy's MX patterns.
        package var mxHosts: [String]

        /// An applied policy; the defaults describe "no policy found".
        package init(type: String = "no-policy-found", strings: [String] = [], mxHosts: [String] = []) {
            self.type = type
            self.strings = strings
            self.mxHosts = mxHosts
        }

        /// An MTA-STS policy, its lines as they were fetched.
        package static func sts(_ lines: [String], mxHosts: [String]) -> AppliedPolicy {
            AppliedPolicy(type: "sts", strings: lines, mxHosts: mxHosts)
        }
    }

    /// A kind of failed session (`tlsrpt_add_delivery_request_failure`) and how many sessions it hit.
    package struct Failure: Encodable, Sendable {
        /// An RFC 8460 §4.3 result type that libtlsrpt has a code for, e.g. `certificate-expired`.
        package var resultType: String
        /// How many sessions failed this way.
        package var count: Int
        package var sendingMTAIP: String?
        package var receivingMXHostname: String?
        package var receivingMXHelo: String?
        package var receivingIP: String?
        package var additionalInformation: String?
        package var failureReasonCode: String?

        /// A failure of `count` sessions; the details are optional, as in libtlsrpt.
        package init(
            resultType: String,
            count: Int,
            sendingMTAIP: String? = nil,
            receivingMXHostname: String? = nil,
            receivingMXHelo: String? = nil,
            receivingIP: String? = nil,
            additionalInformation: String? = nil,
            failureReasonCode: String? = nil
        ) {
            self.resultType = resultType
            self.count = count
            self.sendingMTAIP = sendingMTAIP
            self.receivingMXHostname = receivingMXHostname
            self.receivingMXHelo = receivingMXHelo
            self.receivingIP = receivingIP
            self.additionalInformation = additionalInformation
            self.failureReasonCode = failureReasonCode
        }

        package enum CodingKeys: String, CodingKey {
            case resultType = "result_type"
            case sendingMTAIP = "sending_mta_ip"
            case receivingMXHostname = "receiving_mx_hostname"
            case receivingMXHelo = "receiving_mx_helo"
            case receivingIP = "receiving_ip"
            case additionalInformation = "additional_information"
            case failureReasonCode = "failure_reason_code"
        }
    }

    /// One attempt of tlsrpt-reportd to deliver a report, as its delivery script recorded it.
    package struct Delivery: Sendable, Equatable, CustomStringConvertible {
        /// The rua the report went to: the `https:` URL, or `mailto:` and the message's `To:` address.
        package var destination: String
        /// curl's exit status (0 for a completed exchange; always 0 for mail).
        package var exitStatus: Int
        /// The HTTP status the receiver answered with (0 when there was no answer); 250 for mail.
        package var status: Int
        /// For `mailto:`, the path of the message tlsrpt-reportd composed (`multipart/report`).
        package var messagePath: String?

        /// Whether the reporter counts this attempt as delivered: an exchange that ended in a 2xx answer.
        package var isAccepted: Bool { exitStatus == 0 && (200..<300).contains(status) }

        /// `https://… → 200`.
        package var description: String {
            "\(destination) → \(exitStatus == 0 ? String(status) : "curl exit \(exitStatus)")"
        }
    }
}
