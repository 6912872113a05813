import Foundation

// MARK: - tlsrpt.cfg and the delivery scripts

extension TLSRPTReporterFixture {
    /// Renders the files of one fixture; every path lies inside `directory`.
    struct Configuration {
        var directory: String
        var virtualenv: String
        var organizationName: String
        var contactInfo: String
        var caBundlePath: String

        var configPath: String { directory + "/tlsrpt.cfg" }
        var socketPath: String { directory + "/collectd.socket" }
        var collectdDatabase: String { directory + "/collectd.sqlite" }
        var reportdDatabase: String { directory + "/reportd.sqlite" }
        var deliveryLogPath: String { directory + "/deliveries.log" }
        var mailDirectory: String { directory + "/mail" }
        var httpScriptPath: String { directory + "/http-delivery.sh" }
        var mailScriptPath: String { directory + "/mail-delivery.sh" }

        /// Attempts per destination: the first and `max_retries_delivery` (2) retries.
        static let deliveryAttempts = 3

        /// One file for the three programs (each reads its own section; `--config_file` selects the file).
        ///
        /// - collectd commits after every datagram (`max_uncommited_datagrams = 1`), so the feeder can tell when
        ///   the sessions are stored, and wakes every second.
        /// - reportd loops every second, spreads delivery over 1 s (`spread_out_delivery = 1`, the minimum: it
        ///   then delivers in the same loop that builds the report) and retries a refused delivery after 1–2 s.
        /// - `fetchers` is split on whitespace by reportd, so no path here may contain a space.
        var text: String {
            """
            [tlsrpt_collectd]
            storage = sqlite://\(collectdDatabase)
            socketname = \(socketPath)
            sockettimeout = 1
            max_uncommited_datagrams = 1
            retry_commit_datagram_count = 1
            log_level = debug

            [tlsrpt_fetcher]
            storage = sqlite://\(collectdDatabase)
            log_level = debug

            [tlsrpt_reportd]
            organization_name = \(organizationName)
            contact_info = \(contactInfo)
            sender_address = \(contactInfo)
            dbname = \(reportdDatabase)
            log_level = debug
            fetchers = \(virtualenv)/bin/tlsrpt-fetcher --config_file \(configPath)
            http_script = /bin/sh \(httpScriptPath)
            http_timeout = 15
            sendmail_script = /bin/sh \(mailScriptPath)
            sendmail_timeout = 5
            interval_main_loop = 1
            spread_out_delivery = 1
            max_retries_delivery = \(Self.deliveryAttempts - 1)
            min_wait_delivery = 1
            max_wait_delivery = 2
            min_wait_domainlist = 0
            max_wait_domainlist = 1
            min_wait_domaindetails = 0
            max_wait_domaindetails = 1

            """
        }

        /// reportd's `http_script`: it appends the rua URL and writes the gzip report to stdin. This posts it as
        /// reportd's default does (`curl --silent --header 'Content-Type: application/tlsrpt+gzip' --data-binary
        /// @-`), trusting only the test CA, with the rua's host pinned to the loopback address the test DNS gave
        /// (`--resolve`), no proxy and HTTPS only, and records the outcome in deliveries.log. Plain curl counts
        /// any answer as delivered; this counts only 2xx (RFC 8460 §5.4), so reportd retries a refusal.
        func httpScript(resolve: [String]) -> String {
            let pins = resolve.map { "--resolve \(Self.quoted($0))" }.joined(separator: " ")
            return """
                #!/bin/sh
                # Written by TLSRPTReporterFixture: tlsrpt-reportd's http_script (see the fixture's documentation).
                url="$1"
                code=$(curl --silent --show-error --proto =https --noproxy '*' --max-time 10 \\
                    --cacert \(Self.quoted(caBundlePath)) \(pins) \\
                    --header 'Content-Type: application/tlsrpt+gzip' --data-binary @- \\
                    --output /dev/null --write-out '%{http_code}' "$url")
                status=$?
                printf '%s %s %s\\n' "$status" "${code:-000}" "$url" >> \(Self.quoted(deliveryLogPath))
                [ "$status" -eq 0 ] && [ "${code:-0}" -ge 200 ] && [ "${code:-0}" -lt 300 ]

                """
        }

        /// reportd's `sendmail_script`: it writes the composed message to stdin (for `sendmail -i -t`). This keeps
        /// the message in mail/ instead of sending it and records it in deliveries.log under its `To:` address.
        var mailScript: String {
            """
            #!/bin/sh
            # Written by TLSRPTReporterFixture: tlsrpt-reportd's sendmail_script; nothing leaves this machine.
            file=$(mktemp \(Self.quoted(mailDirectory))/message-XXXXXX.eml) || exit 75
            cat > "$file"
            to=$(sed -n 's/^To: *//p' "$file" | head -n 1 | tr -d '\\r')
            printf '0 250 mailto:%s %s\\n' "$to" "$file" >> \(Self.quoted(deliveryLogPath))

            """
        }

        /// Writes the configuration and the mail script (the HTTP script is written once the ruas are known).
        func write() throws {
            try FileManager.default.createDirectory(atPath: mailDirectory, withIntermediateDirectories: true)
            try text.write(toFile: configPath, atomically: true, encoding: .utf8)
            try mailScript.write(toFile: mailScriptPath, atomically: true, encoding: .utf8)
        }

        /// The attempts recorded so far, in order.
        func deliveries() -> [Delivery] {
            let text = (try? String(contentsOfFile: deliveryLogPath, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                let fields = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard fields.count >= 3, let exitStatus = Int(fields[0]), let status = Int(fields[1]) else {
                    return nil
                }
                return Delivery(
                    destination: fields[2],
                    exitStatus: exitStatus,
                    status: status,
                    messagePath: fields.count == 4 ? fields[3] : nil
                )
            }
        }

        /// `text` in single quotes for sh.
        static func quoted(_ text: String) -> String {
            "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        }
    }
}
