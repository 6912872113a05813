import Configuration
import Foundation
import JSON
import Store

// MARK: - accounts, domains, suspend, reactivate, limit, transfer

extension AdminCommand {
    /// `mtasts admin accounts`: open accounts, oldest first.
    static func listAccounts(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        guard let options = try options(arguments, values: ["search", "limit"]) else { return 0 }
        let limit = try listLimit(options)
        let search = options.values["search"]
        return try withStore(options, environment: environment) { store, configuration in
            let accounts = try store.administration.accounts(search: search, limit: limit)
            if options.flags.contains("json") {
                emit(["accounts": .array(accounts.map { json($0, defaultLimit: configuration.domainLimit) })])
            } else {
                CommandRunner.writeOut(
                    accounts.map { describe($0, defaultLimit: configuration.domainLimit) + "\n" }.joined()
                        + "\(accounts.count) account(s)\(accounts.count == limit ? " (limit reached: --limit)" : "")\n"
                )
            }
            return 0
        }
    }

    /// `mtasts admin domains`: domains (not deleted) by name.
    static func listDomains(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        guard let options = try options(arguments, values: ["search", "account", "limit"]) else { return 0 }
        let limit = try listLimit(options)
        return try withStore(options, environment: environment) { store, _ in
            let account = try options.values["account"].map { try store.administration.account(named: $0) }
            let domains = try store.administration.domains(
                search: options.values["search"],
                accountID: account?.id,
                limit: limit
            )
            if options.flags.contains("json") {
                emit(["domains": .array(domains.map(json))])
            } else {
                CommandRunner.writeOut(
                    domains.map { describe($0) + "\n" }.joined()
                        + "\(domains.count) domain(s)\(domains.count == limit ? " (limit reached: --limit)" : "")\n"
                )
            }
            return 0
        }
    }

    /// `mtasts admin suspend ACCOUNT [--reason TEXT]`.
    static func suspend(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        guard let options = try options(arguments, values: ["reason"], positionals: ["ACCOUNT"]) else { return 0 }
        let reason = options.values["reason"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reason, !(1...500).contains(reason.count) {
            throw UsageError(message: "--reason takes 1…500 characters")
        }
        return try withStore(options, environment: environment) { store, configuration in
            let (before, after) = try store.administration.suspend(
                account: options.positionals[0],
                reason: reason,
                at: Date()
            )
            report(
                before: before,
                after: after,
                configuration: configuration,
                options: options,
                text: before == after
                    ? "\(after.email) was already suspended since \(stamp(after.suspendedAt)); nothing changed"
                    : "suspended \(after.email) (\(after.id.uuidString.lowercased())): sign-in, sessions and API tokens "
                        + "are refused; its \(after.domainCount) domain(s) keep serving"
            )
            return 0
        }
    }

    /// `mtasts admin reactivate ACCOUNT`.
    static func reactivate(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        guard let options = try options(arguments, positionals: ["ACCOUNT"]) else { return 0 }
        return try withStore(options, environment: environment) { store, configuration in
            let (before, after) = try store.administration.reactivate(account: options.positionals[0], at: Date())
            report(
                before: before,
                after: after,
                configuration: configuration,
                options: options,
                text: before == after
                    ? "\(after.email) is not suspended; nothing changed"
                    : "reactivated \(after.email) (\(after.id.uuidString.lowercased())), suspended since "
                        + "\(stamp(before.suspendedAt)): sign-in, sessions and API tokens work again"
            )
            return 0
        }
    }

    /// `mtasts admin limit ACCOUNT N|default`.
    static func limit(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        guard let options = try options(arguments, positionals: ["ACCOUNT", "N|default"]) else { return 0 }
        let value = options.positionals[1]
        let limit: Int?
        if value == "default" {
            limit = nil
        } else if let number = Int(value), (0...1_000_000).contains(number) {
            limit = number
        } else {
            throw UsageError(message: "the limit is a whole number 0…1000000 or `default`, not '\(value)'")
        }
        return try withStore(options, environment: environment) { store, configuration in
            let (before, after) = try store.administration.setDomainLimit(
                account: options.positionals[0],
                to: limit,
                at: Date()
            )
            let over =
                after.domainCount > (after.domainLimit ?? configuration.domainLimit)
                ? "; it holds more already: it keeps them and cannot add one" : ""
            report(
                before: before,
                after: after,
                configuration: configuration,
                options: options,
                text: "domain limit of \(after.email): \(limitText(before, configuration)) → "
                    + "\(limitText(after, configuration)), holds \(after.domainCount)\(over)"
            )
            return 0
        }
    }

    /// `mtasts admin transfer DOMAIN ACCOUNT [--force]`.
    static func transfer(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        guard let options = try options(arguments, flags: ["force"], positionals: ["DOMAIN", "ACCOUNT"]) else {
            return 0
        }
        return try withStore(options, environment: environment) { store, configuration in
            let moved = try store.administration.transfer(
                domain: options.positionals[0],
                to: options.positionals[1],
                force: options.flags.contains("force"),
                defaultLimit: configuration.domainLimit,
                at: Date()
            )
            if options.flags.contains("json") {
                emit([
                    "domain": ["id": .id(moved.domain.id), "name": .string(moved.domain.name)],
                    "from": json(moved.fromAccount, defaultLimit: configuration.domainLimit),
                    "to": json(moved.toAccount, defaultLimit: configuration.domainLimit),
                    "replaced_claim": moved.replacedClaim.map(JSONValue.id) ?? .null,
                    "cleared_alerts": .int(moved.clearedAlerts),
                    "exceeded_limit": .bool(moved.exceededLimit),
                ])
                return 0
            }
            var text =
                "transferred \(moved.domain.name) (\(moved.domain.id.uuidString.lowercased())) from "
                + "\(moved.fromAccount.email) to \(moved.toAccount.email), with its policy, certificate and reporting "
                + "token; \(moved.toAccount.email) now holds \(moved.toAccount.domainCount) of "
                + "\(moved.toAccount.domainLimit ?? configuration.domainLimit)\n"
            if moved.exceededLimit { text += "note: beyond its domain limit (--force)\n" }
            if let claim = moved.replacedClaim {
                text += "note: deleted its own unverified claim of the name (\(claim.uuidString.lowercased()))\n"
            }
            if moved.clearedAlerts > 0 {
                text += "note: cleared \(moved.clearedAlerts) open alert(s); the next check raises what still holds\n"
            }
            if moved.toAccount.suspendedAt != nil { text += "note: \(moved.toAccount.email) is suspended\n" }
            CommandRunner.writeOut(text)
            return 0
        }
    }

    // MARK: - Rendering

    private static func listLimit(_ options: OptionParser) throws -> Int {
        guard let limit = Int(options.values["limit"] ?? "100"), (1...1000).contains(limit) else {
            throw UsageError(message: "--limit takes a whole number 1…1000")
        }
        return limit
    }

    /// Prints what a change to one account did: `text`, or `{"before": …, "after": …, "changed": …}`.
    private static func report(
        before: AccountSummary,
        after: AccountSummary,
        configuration: PlatformConfiguration,
        options: OptionParser,
        text: String
    ) {
        if options.flags.contains("json") {
            emit([
                "changed": .bool(before != after),
                "before": json(before, defaultLimit: configuration.domainLimit),
                "after": json(after, defaultLimit: configuration.domainLimit),
            ])
        } else {
            CommandRunner.writeOut(text + "\n")
        }
    }

    static func json(_ account: AccountSummary, defaultLimit: Int) -> JSONValue {
        [
            "id": .id(account.id), "email": .string(account.email), "created_at": .timestamp(account.createdAt),
            "domain_count": .int(account.domainCount), "domain_limit": .int(account.domainLimit ?? defaultLimit),
            "domain_limit_is_default": .bool(account.domainLimit == nil),
            "suspended": .bool(account.suspendedAt != nil), "suspended_at": .timestamp(account.suspendedAt),
            "suspension_reason": .string(account.suspensionReason), "last_sign_in_at": .timestamp(account.lastSignInAt),
        ]
    }

    static func json(_ domain: DomainSummary) -> JSONValue {
        [
            "id": .id(domain.id), "name": .string(domain.name),
            "account": ["id": .id(domain.accountID), "email": .string(domain.accountEmail)],
            "state": .string(state(domain.status)), "created_at": .timestamp(domain.createdAt),
            "verified_at": .timestamp(domain.verifiedAt),
            "policy": domain.policyID.map { ["id": .string($0), "mode": .string(domain.policyMode)] } ?? .null,
            "certificate_expires_at": .timestamp(domain.certificateNotAfter),
            "last_check": domain.lastCheckedAt.map {
                ["checked_at": .timestamp($0), "worst_severity": .string(domain.lastCheckSeverity)]
            } ?? .null,
        ]
    }

    private static func describe(_ account: AccountSummary, defaultLimit: Int) -> String {
        var line =
            "\(account.id.uuidString.lowercased())  \(account.email)  created \(day(account.createdAt))  domains "
            + "\(account.domainCount)/\(account.domainLimit ?? defaultLimit)\(account.domainLimit == nil ? " (default)" : "")"
            + "  last sign-in \(account.lastSignInAt.map(day) ?? "never recorded")"
        if let suspendedAt = account.suspendedAt {
            line += "  SUSPENDED since \(stamp(suspendedAt))"
            if let reason = account.suspensionReason { line += " (\(reason))" }
        }
        return line
    }

    private static func describe(_ domain: DomainSummary) -> String {
        let policy = domain.policyID.map { "policy \(domain.policyMode ?? "?") \($0)" } ?? "no policy"
        let certificate = domain.certificateNotAfter.map { "certificate until \(day($0))" } ?? "no certificate"
        let check =
            domain.lastCheckedAt.map { "checked \(stamp($0)): \(domain.lastCheckSeverity ?? "no findings")" }
            ?? "not checked yet"
        return "\(domain.name)  \(state(domain.status))  \(domain.accountEmail)  \(policy)  \(certificate)  \(check)"
    }

    private static func state(_ status: DomainStatus) -> String {
        status == .pendingVerification ? "pending" : status.rawValue
    }

    private static func limitText(_ account: AccountSummary, _ configuration: PlatformConfiguration) -> String {
        account.domainLimit.map(String.init) ?? "default (\(configuration.domainLimit))"
    }

    static func stamp(_ date: Date?) -> String { date.map { $0.formatted(.iso8601) } ?? "-" }

    private static func day(_ date: Date) -> String { String(date.formatted(.iso8601).prefix(10)) }
}
