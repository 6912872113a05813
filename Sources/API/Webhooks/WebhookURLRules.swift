import HTTPCore
import WebClient

/// Which webhook URLs the platform accepts (`MTASTS_WEBHOOK_ALLOW_INSECURE`, `MTASTS_WEBHOOK_ALLOW_PRIVATE`).
///
/// A URL is `https://` with no userinfo and no fragment, at most ``maximumLength`` characters, parsed as the
/// worker's client will send it. A host given as an IP literal (or `localhost`, RFC 6761 §6.3) must be a public
/// address; a host name is checked again at every delivery on the addresses it resolves to, which is where DNS
/// rebinding would otherwise slip through.
///
/// ```swift
/// var fields = try JSONFields(body: request.body, allowed: ["url"])
/// let url = context.environment.webhookRules.url(fields.string("url", maxLength: 2048), in: &fields)
/// try fields.finish()
/// ```
package struct WebhookURLRules: Sendable {
    /// The longest URL accepted, in characters.
    package static let maximumLength = 2048

    /// Accept `http://` too (tests, receivers on a trusted network).
    package var allowsInsecureHTTP: Bool
    /// Accept hosts in loopback, private, link-local, carrier-grade NAT and other non-public blocks.
    package var allowsPrivateAddresses: Bool

    /// The rules; both relaxations off by default.
    package init(allowsInsecureHTTP: Bool = false, allowsPrivateAddresses: Bool = false) {
        self.allowsInsecureHTTP = allowsInsecureHTTP
        self.allowsPrivateAddresses = allowsPrivateAddresses
    }

    /// Checks the member `url` (already read as a string of at most ``maximumLength`` characters), recording a
    /// broken rule in `fields`: `scheme`, `userinfo`, `fragment`, `url` (not a URL the client can send) or
    /// `public_address`.
    /// - Returns: the URL as the worker sends it (host lower-cased, default port dropped), or nil when a rule broke.
    package func url(_ text: String?, in fields: inout JSONFields) -> String? {
        guard let text else { return nil }
        let lowered = text.lowercased()
        let isHTTPS = lowered.hasPrefix("https://")
        guard isHTTPS || (allowsInsecureHTTP && lowered.hasPrefix("http://")) else {
            fields.fail(
                "url",
                rule: "scheme",
                allowsInsecureHTTP ? "Use an https:// or http:// URL." : "Use an https:// URL."
            )
            return nil
        }
        let authority = lowered.dropFirst(isHTTPS ? 8 : 7).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else {
            fields.fail("url", rule: "userinfo", "The URL may not carry a user name or password (user@host).")
            return nil
        }
        guard !text.contains("#") else {
            fields.fail("url", rule: "fragment", "The URL may not have a #fragment: it is never sent.")
            return nil
        }
        let url: ClientURL
        do {
            url = try ClientURL(text)
        } catch let error as HTTPClientError {
            fields.fail("url", rule: "url", "Not a URL the platform can send to: \(error.message).")
            return nil
        } catch {
            fields.fail("url", rule: "url", "Not a URL the platform can send to.")
            return nil
        }
        if !allowsPrivateAddresses, let reason = nonPublicReason(url) {
            fields.fail("url", rule: "public_address", "\(reason); webhooks must reach a public address.")
            return nil
        }
        return url.description
    }

    /// Why the URL's host is not public, judged without DNS: an IP literal in a special-purpose block, or a name
    /// that always means this host.
    private func nonPublicReason(_ url: ClientURL) -> String? {
        if url.isIPLiteral {
            guard let address = ClientAddress(url.host), let block = address.specialPurposeBlock else { return nil }
            return "\(url.host) is \(block.phrase)"
        }
        let name = url.host.hasSuffix(".") ? String(url.host.dropLast()) : url.host
        guard name == "localhost" || name.hasSuffix(".localhost") else { return nil }
        return "\(url.host) is a loopback name"
    }
}
