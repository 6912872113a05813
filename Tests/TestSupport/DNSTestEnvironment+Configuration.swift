import Foundation

// MARK: - Knot and Unbound configuration files

extension DNSTestEnvironment {
    /// Renders the configuration of one environment; every path lies inside `directory`.
    struct Configuration {
        var zones: [String]
        var directory: String
        var knotPort: UInt16
        var unboundPort: UInt16
        /// Stub zones served by other authoritative servers on 127.0.0.1 (zone → port).
        var delegatedZones: [String: UInt16] = [:]
        /// Records Unbound answers itself (`local-data`), ahead of Knot and the stub zones.
        var resolverRecords: [String] = []

        var knotConfigPath: String { directory + "/knot.conf" }
        var controlSocketPath: String { directory + "/knot.sock" }

        /// Knot runs as the invoking user (no `user:`): root here may lack CAP_DAC_OVERRIDE, and knotd then
        /// cannot write into a directory owned by `knot` (TEST-ENV.md).
        var knotConfig: String {
            """
            server:
                listen: 127.0.0.1@\(knotPort)
                rundir: "\(directory)"
                udp-workers: 1
                tcp-workers: 1
                background-workers: 1
            control:
                listen: "\(controlSocketPath)"
            log:
              - target: stderr
                any: info
            database:
                storage: "\(directory)/knot-db"
            template:
              - id: default
                storage: "\(directory)"
                file: "%s.zone"
                zonefile-sync: -1
                zonefile-load: whole
                journal-content: none
            zone:
            \(zones.map { "  - domain: \($0)" }.joined(separator: "\n"))

            """
        }

        /// A minimal zone: SOA with 1 s timers (so negative answers are cached for 1 s), NS, the NS's A.
        func zoneFile(_ zone: String, records: [DNSTestRecord]) -> String {
            var lines = [
                "$ORIGIN \(zone).",
                "$TTL 1",
                "@ 1 IN SOA ns1.\(zone). hostmaster.\(zone). 1 1 1 1 1",
                "@ 1 IN NS ns1.\(zone).",
                "ns1 1 IN A 127.0.0.1",
            ]
            for record in records {
                lines.append(
                    "\(record.absoluteOwner(in: zone)) \(record.ttl) IN \(record.type) \(record.presentationValue)"
                )
            }
            return lines.joined(separator: "\n") + "\n"
        }

        /// Writes knot.conf and one zone file per zone, each record going to its zone or the longest zone
        /// its owner lies in.
        func writeKnotFiles(records: [DNSTestRecord]) throws {
            try knotConfig.write(toFile: knotConfigPath, atomically: true, encoding: .utf8)
            var byZone: [String: [DNSTestRecord]] = [:]
            for record in records {
                let zone = try record.zone ?? owningZone(of: record.owner)
                byZone[zone, default: []].append(record)
            }
            for zone in zones {
                try zoneFile(zone, records: byZone[zone] ?? []).write(
                    toFile: directory + "/\(zone).zone",
                    atomically: true,
                    encoding: .utf8
                )
            }
        }

        private func owningZone(of owner: String) throws -> String {
            let name = owner.lowercased().hasSuffix(".") ? String(owner.lowercased().dropLast()) : owner.lowercased()
            let candidates = zones.filter { name == $0.lowercased() || name.hasSuffix("." + $0.lowercased()) }
            guard let zone = candidates.max(by: { $0.count < $1.count }) else {
                throw TestSupportError("record owner \(owner) lies in none of the zones \(zones)")
            }
            return zone
        }

        /// Unbound in the foreground as the invoking user, iterator only (no DNSSEC validation for `test.`),
        /// caches capped at 1 s, one stub zone per test zone pointing at Knot (TEST-ENV.md).
        var unboundConfig: String {
            let stubs = (zones.map { ($0, knotPort) } + delegatedZones.sorted { $0.key < $1.key }).map { zone, port in
                """
                stub-zone:
                    name: "\(zone)"
                    stub-addr: 127.0.0.1@\(port)
                """
            }
            return """
                server:
                    interface: 127.0.0.1@\(unboundPort)
                    port: \(unboundPort)
                    do-daemonize: no
                    username: ""
                    chroot: ""
                    directory: "\(directory)"
                    pidfile: "\(directory)/unbound.pid"
                    use-syslog: no
                    logfile: ""
                    verbosity: 1
                    num-threads: 1
                    do-ip6: no
                    do-not-query-localhost: no
                    access-control: 127.0.0.0/8 allow
                    domain-insecure: "test."
                    local-zone: "test." nodefault
                    module-config: "iterator"
                    cache-min-ttl: 0
                    cache-max-ttl: 1
                    cache-max-negative-ttl: 1
                    infra-host-ttl: 5
                    qname-minimisation: no
                    prefetch: no
                    outgoing-range: 64
                    outgoing-port-avoid: "1-32767"
                \(resolverRecords.map { "    local-data: \"\($0)\"" }.joined(separator: "\n"))
                remote-control:
                    control-enable: no
                \(stubs.joined(separator: "\n"))

                """
        }
    }
}
