import Configuration
import Foundation
import Logging
import ReportIntake
import Store
import TLSReporting

/// `mtasts reports` (the role) and `mtasts reports import` (one mailed report from the operator's own MTA).
enum ReportsCommand {
    static let help = """
        usage: mtasts reports [--no-migrate]
               mtasts reports import [--recipient ADDRESS | --token TOKEN] < message.eml

        Without a task, runs the reports role (TLS-RPT intake, docs/reports.md) until SIGINT or SIGTERM: the
        importer of the spool, and the admin listener. The HTTPS door runs on the edge's listener.

        import reads one mail message (RFC 5322, as an MTA's pipe transport hands it over) from standard input,
        checks the TLS report in it and spools it for the reports role, e.g. in Postfix's master.cf:
          tlsrpt unix - n n - - pipe user=mtasts argv=/usr/local/bin/mtasts reports import --recipient ${recipient}
        and in main.cf the reports domain routed to it (in relay_domains with relay_transport = tlsrpt, or by
        transport_maps), one recipient per run (tlsrpt_destination_recipient_limit = 1) and the MTASTS_*
        settings exported to it (export_environment, "{ NAME=value }" for a value with spaces); the spool must
        be writable by the pipe's user.
        Exit status (sysexits, so the MTA bounces or retries): 0 spooled, 64 no address given, 65 not a TLS
        report, 67 unknown address, 75 retry later: the spool cannot take it now, the database does not answer
        and the spool's token cache does not know the address, or the MTASTS_* configuration is wrong (never 78,
        which Postfix bounces).

        options:
          --recipient ADDRESS  the envelope recipient, <token>@MTASTS_REPORTS_MAIL_DOMAIN; without it (and
                               --token), the first such address in Delivered-To, X-Original-To, To or Cc
          --token TOKEN        the reporting token itself
          --help               show this help

        """

    /// Most bytes read from standard input.
    static let maximumMessageBytes = 16 << 20

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        guard arguments.first == "import" else {
            if arguments.contains("--help") {
                CommandRunner.writeOut(help)
                return 0
            }
            return try ServeCommand.run(arguments, environment: environment, roles: [.reports])
        }
        let options = try OptionParser(
            Array(arguments.dropFirst()),
            knownFlags: ["help"],
            knownValues: ["recipient", "token"]
        )
        if options.flags.contains("help") {
            CommandRunner.writeOut(help)
            return 0
        }
        var named: String?
        if let value = options.values["token"] {
            named = value
        } else if let recipient = options.values["recipient"] {
            guard let at = recipient.lastIndex(of: "@") else {
                throw UsageError(message: "--recipient takes <token>@<domain>")
            }
            named = String(recipient[..<at])
        }
        let configuration: PlatformConfiguration
        do {
            configuration = try PlatformConfiguration(environment: environment)
        } catch {
            // Not 78 (EX_CONFIG): Postfix's pipe bounces that (DSN 5.3.5), and the sender would drop the report
            // for a mistake on this side. Deferred, the MTA keeps it until the configuration is fixed.
            CommandRunner.writeError("mtasts reports import: configuration error: \(error) Retry later.\n")
            return 75
        }
        let logger = Logger(label: "reports-import", level: configuration.logLevel)
        let message = FileHandle.standardInput.readData(ofLength: maximumMessageBytes + 1)
        guard message.count <= maximumMessageBytes else {
            CommandRunner.writeError("mtasts reports import: the message is larger than 16 MiB\n")
            return 65
        }
        // The tokens come from PostgreSQL when it answers, else from the spool's cache of them.
        let store = configuration.databaseURL.map { DataStore(connectionString: $0, maxConnections: 1) }
        let reception: ReportReception
        do {
            reception = try ReportReception(
                spoolDirectory: configuration.reportsSpoolDirectory,
                store: store,
                logger: logger
            )
        } catch let error as SpoolError {
            // A spool that cannot be opened now (a full or failing disk) must defer the message, not bounce it.
            CommandRunner.writeError("mtasts reports import: \(error.message) Retry later.\n")
            return 75
        }
        let tokensAreCurrent = reception.tokens.refresh()
        let bytes = Array(message)
        // Without --recipient or --token, the header names the reporting address (Delivered-To, To, …).
        guard
            let token = named
                ?? ReportRecipients.tokens(inHeaderOf: bytes, mailDomain: configuration.reportsMailDomain).first
        else {
            CommandRunner.writeError(
                "mtasts reports import: no reporting address in the message's header; give --recipient or --token\n"
            )
            return 64
        }
        let verdict = reception.acceptor.accept(token: token, channel: .import, client: nil) {
            () throws(TLSReportError) -> [[UInt8]] in try ReportPayload.decodeMessage(bytes)
        }
        switch verdict {
        case .accepted(let names):
            CommandRunner.writeOut("spooled \(names.count) report\(names.count == 1 ? "" : "s")\n")
            return 0
        case .unknownToken where !tokensAreCurrent:
            // PostgreSQL did not answer and the spool's cache does not know the token (a domain verified since
            // the cache was written, or no cache yet): a bounce would lose the report, a deferral only delays it.
            CommandRunner.writeError(
                "mtasts reports import: cannot look \(token) up now (the database does not answer and the spool's "
                    + "token cache does not have it). Retry later.\n"
            )
            return 75
        case .unknownToken:
            CommandRunner.writeError("mtasts reports import: no domain receives reports at \(token)\n")
            return 67
        case .rejected(let error):
            CommandRunner.writeError("mtasts reports import: not a TLS report: \(error.message)\n")
            return 65
        case .unavailable(let error):
            CommandRunner.writeError("mtasts reports import: \(error.message) Retry later.\n")
            return 75
        }
    }
}
