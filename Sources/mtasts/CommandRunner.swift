import Configuration
import Foundation
import Logging

/// Dispatches `mtasts <command>` and turns failures into exit codes and one clear message.
enum CommandRunner {
    static let version = "0.1.0"

    static let commands: [(name: String, summary: String)] = [
        ("serve", "run API, edge and worker in one process (embedded PostgreSQL when no database is configured)"),
        ("api", "run only the JSON API and web form"),
        ("edge", "run only the policy edge (HTTPS policies, HTTP ACME challenges)"),
        ("worker", "run only the background worker (verification, certificates, renewals)"),
        ("dns", "run only the authoritative DNS responder for MTASTS_DNS_ZONE"),
        ("reports", "run only the TLS-RPT intake (importer); `reports import` takes one mailed report from stdin"),
        ("check", "check any domain's MTA-STS deployment as a sender sees it (--json; exit 1 on errors)"),
        ("migrate", "apply pending database migrations (--check: only report them)"),
        (
            "admin",
            "operator tasks on the database (--json): accounts, domains, suspend, reactivate, limit, transfer, "
                + "invite, doctor (configuration, database, keys, certificates, edges), rotate-key"
        ),
        ("version", "print the version"),
    ]

    static func run(arguments: [String], environment: [String: String]) -> Int32 {
        guard let name = arguments.first else {
            writeError(usage())
            return 64
        }
        let rest = Array(arguments.dropFirst())
        if name == "--help" || name == "-h" || name == "help" {
            writeOut(usage())
            return 0
        }
        if name == "--version" { return VersionCommand.run(rest) }
        do {
            switch name {
            case "serve": return try ServeCommand.run(rest, environment: environment, roles: .all)
            case "api": return try ServeCommand.run(rest, environment: environment, roles: [.api])
            case "edge": return try ServeCommand.run(rest, environment: environment, roles: [.edge])
            case "worker": return try ServeCommand.run(rest, environment: environment, roles: [.worker])
            case "dns": return try ServeCommand.run(rest, environment: environment, roles: [.dns])
            case "reports": return try ReportsCommand.run(rest, environment: environment)
            case "check": return try CheckCommand.run(rest, environment: environment)
            case "migrate": return try MigrateCommand.run(rest, environment: environment)
            case "admin": return try AdminCommand.run(rest, environment: environment)
            case "version": return VersionCommand.run(rest)
            default:
                writeError("mtasts: unknown command '\(name)'\n\n" + usage())
                return 64
            }
        } catch let error as UsageError {
            writeError("mtasts \(name): \(error.message)\n")
            return 64
        } catch let error as ConfigurationError {
            writeError("mtasts: configuration error: \(error)\n")
            return 78
        } catch {
            writeError("mtasts \(name): \(error)\n")
            return 1
        }
    }

    static func usage() -> String {
        var text = "usage: mtasts <command> [options]\n\ncommands:\n"
        for command in commands {
            text += "  " + command.name.padding(toLength: 10, withPad: " ", startingAt: 0) + command.summary + "\n"
        }
        text +=
            "\nRun `mtasts <command> --help` for a command's options. Configuration comes from MTASTS_* "
            + "environment variables (see README).\n"
        return text
    }

    static func writeOut(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// A command-line mistake: exit code 64 (EX_USAGE) and the message.
struct UsageError: Error {
    let message: String
}

/// Hand-written option parsing: `--flag`, `--name value`, `--name=value` and up to `maximumPositionals`
/// arguments that are not options (anywhere among them).
struct OptionParser {
    private(set) var flags: Set<String> = []
    private(set) var values: [String: String] = [:]
    /// The arguments that are not options, in order.
    private(set) var positionals: [String] = []

    /// - Parameters:
    ///   - knownFlags: options without a value.
    ///   - knownValues: options that take a value.
    ///   - maximumPositionals: how many other arguments are allowed (none by default).
    init(_ arguments: [String], knownFlags: Set<String>, knownValues: Set<String>, maximumPositionals: Int = 0) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else {
                guard positionals.count < maximumPositionals else {
                    throw UsageError(message: "unexpected argument '\(argument)'")
                }
                positionals.append(argument)
                index += 1
                continue
            }
            let body = String(argument.dropFirst(2))
            if let equals = body.firstIndex(of: "=") {
                let name = String(body[..<equals])
                guard knownValues.contains(name) else { throw UsageError(message: "unknown option '--\(name)'") }
                values[name] = String(body[body.index(after: equals)...])
            } else if knownFlags.contains(body) {
                flags.insert(body)
            } else if knownValues.contains(body) {
                index += 1
                guard index < arguments.count else { throw UsageError(message: "option '--\(body)' needs a value") }
                values[body] = arguments[index]
            } else {
                throw UsageError(message: "unknown option '\(argument)'")
            }
            index += 1
        }
    }
}

enum VersionCommand {
    static func run(_ arguments: [String]) -> Int32 {
        if arguments.contains("--help") {
            CommandRunner.writeOut("usage: mtasts version\n\nPrints the version of this build.\n")
            return 0
        }
        CommandRunner.writeOut("mtasts \(CommandRunner.version)\n")
        return 0
    }
}
