import Foundation

// MARK: - main.cf and master.cf

extension PostfixRelay {
    /// What the relay does: which domain it relays, and where that mail goes.
    package struct Configuration: Sendable {
        /// The only domain whose mail leaves the relay; everything else (bounces, postmaster notices) is
        /// discarded.
        package var relayDomain: String
        /// Where mail for ``relayDomain`` goes.
        package var destination: Destination

        /// - Parameters:
        ///   - relayDomain: e.g. `reports.example.net`.
        ///   - destination: an SMTP server on a loopback port, or a pipe transport.
        package init(relayDomain: String, destination: Destination) {
            self.relayDomain = relayDomain
            self.destination = destination
        }
    }

    /// Where mail for the relay domain goes.
    package enum Destination: Sendable {
        /// SMTP to `relayhost = [127.0.0.1]:port`, STARTTLS required and the certificate verified against
        /// `trustAnchorsPEM` (the test CA) for `certificateName`, which is also sent as SNI.
        case smtp(port: UInt16, trustAnchorsPEM: String, certificateName: String)
        /// A pipe(8) transport: master.cf's `tlsrpt unix - n n - - pipe user=<user> argv=<argv>`, one
        /// recipient per delivery (`tlsrpt_destination_recipient_limit = 1`, so `${recipient}` is one address),
        /// with `environment` exported to the command (`export_environment`).
        case pipe(user: String, argv: [String], environment: [String: String])
    }

    /// The files of one instance, every path inside ``directory``.
    struct Layout {
        let directory: String
        var configDirectory: String { directory + "/etc" }
        var queueDirectory: String { directory + "/queue" }
        var dataDirectory: String { directory + "/data" }
        var maillog: String { directory + "/maillog" }
        var trustAnchors: String { configDirectory + "/next-hop-ca.pem" }

        /// The maillog, empty before Postfix has written it.
        func readLog() -> String {
            (try? String(contentsOfFile: maillog, encoding: .utf8)) ?? ""
        }

        /// Creates the root-owned directories Postfix insists on and writes `main.cf`, `master.cf` and the CA.
        ///
        /// Quirks met on Debian 12 (Postfix 3.7):
        /// - `postfix -c DIR …` chdirs to `queue_directory` before anything else, and fails with "fatal:
        ///   chdir(…): No such file or directory" (after a deliberate one-second pause) when it does not exist:
        ///   create it, root-owned 0755; `postfix check` then creates its subdirectories and `data_directory`
        ///   owned by `postfix` (what `post-install create-missing` does).
        /// - The daemons run as `postfix` and must traverse every parent of the queue: `mkdtemp` makes the temp dir
        ///   0700, so it is opened to 0755 (the files in it hold nothing secret).
        /// - `maillog_file` is refused outside `maillog_file_prefixes` (default `/var, /dev/stdout`), and it needs
        ///   the `postlog` service in master.cf, or `postfix check` fails with "missing 'postlog' service".
        /// - Debian's master.cf runs most services chrooted to the queue directory (`chroot` column `y`), where
        ///   the CA file and /etc are out of reach: every service here has `n`.
        /// - `disable_dns_lookups` is deprecated; `smtp_dns_support_level = disabled` plus `smtp_host_lookup = native`
        ///   is its replacement (with a `[127.0.0.1]` relayhost no lookup happens anyway).
        /// - `smtp_tls_security_level = encrypt` only encrypts: it logs "Trusted" or "Untrusted" but delivers
        ///   either way. `secure` with `smtp_tls_secure_cert_match` set to the name is what verifies the chain
        ///   *and* the name, and defers the message otherwise (logged as "Verified TLS connection established").
        /// - pipe(8) refuses a `user=` that is root, the mail owner (`postfix`) or in their groups, so the piped
        ///   command runs as another user (`nobody` in tests), which must be able to write where it writes.
        ///   `${recipient}` expands to one argument per recipient of the delivery: `<transport>_destination_
        ///   recipient_limit = 1` keeps it to one. The command's exit status is read as sysexits: EX_TEMPFAIL (75)
        ///   defers, the other codes of sysexits.h mostly bounce, EX_CONFIG (78) included (DSN 5.3.5).
        /// - Root's `postfix -c DIR` needs nothing in /etc/postfix, but the set-gid `postdrop` behind
        ///   `sendmail -C DIR` accepts DIR only when the default main.cf lists it in `alternate_config_directories`,
        ///   a change to the host's configuration: mail is submitted by SMTP instead.
        func write(_ configuration: Configuration, smtpdPort: UInt16) throws {
            let files = FileManager.default
            let open: [FileAttributeKey: Any] = [.posixPermissions: 0o755]
            try files.setAttributes(open, ofItemAtPath: directory)
            try files.createDirectory(atPath: configDirectory, withIntermediateDirectories: false, attributes: open)
            try files.createDirectory(atPath: queueDirectory, withIntermediateDirectories: false, attributes: open)
            if case .smtp(_, let trustAnchorsPEM, _) = configuration.destination {
                try trustAnchorsPEM.write(toFile: trustAnchors, atomically: true, encoding: .utf8)
            }
            try mainCF(configuration).write(
                toFile: configDirectory + "/main.cf",
                atomically: true,
                encoding: .utf8
            )
            try masterCF(smtpdPort: smtpdPort, destination: configuration.destination).write(
                toFile: configDirectory + "/master.cf",
                atomically: true,
                encoding: .utf8
            )
        }

        func mainCF(_ configuration: Configuration) -> String {
            """
            # A private test relay (Tests/TestSupport/PostfixRelay.swift): loopback only, no DNS, no local
            # delivery; mail for \(configuration.relayDomain) goes to \(configuration.destination.summary),
            # everything else is discarded.
            compatibility_level = 3.6
            queue_directory = \(queueDirectory)
            data_directory = \(dataDirectory)
            mail_owner = postfix
            setgid_group = postdrop
            maillog_file = \(maillog)
            maillog_file_prefixes = \(directory)

            myhostname = relay.sender.test
            mydomain = sender.test
            myorigin = $myhostname
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            smtpd_banner = $myhostname ESMTP test relay
            smtpd_peername_lookup = no
            biff = no

            # Nothing is delivered here: no local domains, no aliases, and whatever is not for the relay
            # domain (the bounce a refused recipient causes, postmaster notices) is dropped.
            mydestination =
            local_recipient_maps =
            alias_maps =
            alias_database =
            local_transport = error:5.1.1 local delivery is disabled in the test relay
            default_transport = discard:not the relay domain
            relay_domains = \(configuration.relayDomain)
            smtp_dns_support_level = disabled
            smtp_host_lookup = native
            smtp_address_preference = ipv4

            """ + destinationCF(configuration.destination)
        }

        private func destinationCF(_ destination: Destination) -> String {
            switch destination {
            case .smtp(let port, _, let name):
                """
                relayhost = [127.0.0.1]:\(port)
                smtp_tls_security_level = secure
                smtp_tls_secure_cert_match = \(name)
                smtp_tls_servername = \(name)
                smtp_tls_CAfile = \(trustAnchors)
                smtp_tls_loglevel = 1

                """
            case .pipe(_, _, let environment):
                // `{ name=value }` keeps the spaces of a libpq key/value string (Postfix 3.2 and later).
                """
                relay_transport = tlsrpt
                tlsrpt_destination_recipient_limit = 1
                export_environment = TZ MAIL_CONFIG LANG \(
                    environment.sorted { $0.key < $1.key }.map { "{ \($0.key)=\($0.value) }" }.joined(separator: " ")
                )

                """
            }
        }

        /// Only the services a relay needs, none chrooted; smtpd on 127.0.0.1 only.
        func masterCF(smtpdPort: UInt16, destination: Destination) -> String {
            var pipeCF = ""
            if case .pipe(let user, let argv, _) = destination {
                // master.cf protects an argument with spaces as `{ text }` (Postfix 3.0 and later).
                let arguments = argv.map { $0.contains(" ") ? "{ \($0) }" : $0 }.joined(separator: " ")
                pipeCF =
                    "tlsrpt    unix  -       n       n       -       -       pipe\n"
                    + "  user=\(user) argv=\(arguments)\n"
            }
            return """
                # service type  private unpriv  chroot  wakeup  maxproc command
                127.0.0.1:\(smtpdPort) inet n - n - - smtpd
                pickup    unix  n       -       n       60      1       pickup
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       300     1       qmgr
                tlsmgr    unix  -       -       n       1000?   1       tlsmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                flush     unix  n       -       n       1000?   0       flush
                proxymap  unix  -       -       n       -       -       proxymap
                proxywrite unix -       -       n       -       1       proxymap
                smtp      unix  -       -       n       -       -       smtp
                relay     unix  -       -       n       -       -       smtp
                showq     unix  n       -       n       -       -       showq
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                anvil     unix  -       -       n       -       1       anvil
                scache    unix  -       -       n       -       1       scache
                postlog   unix-dgram n  -       n       -       1       postlogd

                """ + pipeCF
        }
    }
}

extension PostfixRelay.Destination {
    /// For the configuration's header comment.
    var summary: String {
        switch self {
        case .smtp(let port, _, let name): "[127.0.0.1]:\(port) over STARTTLS verified for \(name)"
        case .pipe(_, let argv, _): "the pipe transport \(argv.first ?? "")"
        }
    }
}
