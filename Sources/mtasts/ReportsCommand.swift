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
               mtasts reports import (--recipient ADDRESS | --token TOKEN) < message.eml

        Without a task, runs the reports role (TLS-RPT intake, docs/reports.md) until SIGINT or SIGTERM: the
        importer of the spool, and the admin listener. The HTTPS door runs on the edge's listener.

        import reads one mail message (RFC 5322, as an MTA's pipe transport hands it over) from standard input,
        checks the TLS report in it and spools it for the reports role, e.g. in Postfix's master.cf:
          tlsrpt unix - n n - - pipe user=mtasts argv=/usr/local/bin/mtasts reports import --recipient ${recipient}
        Exit status (sysexits, so the MTA bounces or retries): 0 spooled, 65 not a TLS report, 67 unknown
        address, 75 the spool cannot take it now (retry).

        options:
          --recipient ADDRESS  the envelope recipient, <token>@MTASTS_REPORTS_MAIL_DOMAIN
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
        let token: String
        if let value = options.values["token"] {
            token = value
        } else if let recipient = options.values["recipient"], let at = recipient.lastIndex(of: "@") {
            token = String(recipient[..<at])
        } else {
            throw UsageError(message: "give --recipient <token>@<domain> or --token <token>")
        }
        let configuration = try PlatformConfiguration(environment: environment)
        let logger = Logger(label: "reports-import", level: configuration.logLevel)
        let message = FileHandle.standardInput.readData(ofLength: maximumMessageBytes + 1)
        guard message.count <= maximumMessageBytes else {
            CommandRunner.writeError("mtasts reports import: the message is larger than 16 MiB\n")
            return 65
        }
        // The tokens come from PostgreSQL when it answers, else from the spool's cache of them.
        let store = configuration.databaseURL.map { DataStore(connectionString: $0, maxConnections: 1) }
        let reception = try ReportReception(
            spoolDirectory: configuration.reportsSpoolDirectory,
            store: store,
            logger: logger
        )
        reception.tokens.refresh()
        let bytes = Array(message)
        let verdict = reception.acceptor.accept(token: token, channel: .import, client: nil) {
            () throws(TLSReportError) -> [[UInt8]] in try ReportPayload.decodeMessage(bytes)
        }
        switch verdict {
        case .accepted(let names):
            CommandRunner.writeOut("spooled \(names.count) report\(names.count == 1 ? "" : "s")\n")
            return 0
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
