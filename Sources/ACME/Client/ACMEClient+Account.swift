import Crypto
import Logging

// MARK: - Accounts (RFC 8555 §7.3)

extension ACMEClient {
    /// The newAccount payload (§7.3, §7.3.4).
    private struct NewAccountPayload: Encodable {
        var termsOfServiceAgreed: Bool?
        var contact: [String]?
        var onlyReturnExisting: Bool?
        var externalAccountBinding: JWS?
    }

    /// Creates the account for the client's key, or finds it when the key is already registered (200 instead of
    /// 201), agreeing to the terms of service and sending the configured contacts.
    ///
    /// External Account Binding is attached when configured; when the directory requires it and none is
    /// configured, this fails before contacting newAccount.
    ///
    /// - Returns: The account; its URL is remembered as the `kid` of later requests.
    /// - Throws: ``ACMEError/Code/externalAccountBindingRequired`` when EAB is required but not configured;
    ///   ``ACMEError/Code/problem`` when the server refuses (e.g. `invalidContact`).
    @discardableResult
    package func registerAccount() throws -> ACMEAccount {
        let directory = try directory()
        var payload = NewAccountPayload(
            termsOfServiceAgreed: true,
            contact: configuration.contactEmails.isEmpty ? nil : configuration.contactEmails.map { "mailto:" + $0 }
        )
        if let binding = configuration.externalAccountBinding {
            payload.externalAccountBinding = try binding.jws(
                accountKey: accountKey.publicKey,
                newAccountURL: directory.newAccount
            )
        } else if directory.requiresExternalAccountBinding {
            throw ACMEError(
                .externalAccountBindingRequired,
                "the CA requires External Account Binding: set MTASTS_ACME_EAB_KID and MTASTS_ACME_EAB_HMAC_KEY"
            )
        }
        let response = try post(url: directory.newAccount, payload: try ACMEJSON.encode(payload), signer: .jwk)
        let account = try makeAccount(from: response)
        logger.info("ACME account ready", ["account": account.url, "created": account.isNew ? "yes" : "no"])
        return account
    }

    /// Looks up the account of the client's key without creating one (`onlyReturnExisting`, §7.3.1).
    ///
    /// - Returns: The account, or `nil` when the server answers `accountDoesNotExist`.
    package func lookupAccount() throws -> ACMEAccount? {
        let directory = try directory()
        do {
            let payload = try ACMEJSON.encode(NewAccountPayload(onlyReturnExisting: true))
            return try makeAccount(from: try post(url: directory.newAccount, payload: payload, signer: .jwk))
        } catch let error as ACMEError where error.problemType == .accountDoesNotExist {
            return nil
        }
    }

    /// The account URL: remembered, or obtained by registering (idempotent for an existing key).
    func accountURL() throws -> String {
        if let url = knownAccountURL {
            return url
        }
        return try registerAccount().url
    }

    private func makeAccount(from response: ACMEHTTPResponse) throws -> ACMEAccount {
        let url = try location(of: response, what: "newAccount")
        let body = try ACMEJSON.decode(ACMEAccountBody.self, from: response.body, what: "account")
        guard body.status == .valid else {
            throw ACMEError(.invalidResponse, "account is \(body.status)", status: response.status)
        }
        remember(accountURL: url)
        return ACMEAccount(url: url, status: body.status, contact: body.contact ?? [], isNew: response.status == 201)
    }
}
