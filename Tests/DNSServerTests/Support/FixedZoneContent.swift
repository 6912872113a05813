import DNSServer

/// Zone content from two dictionaries, as the role's snapshot will provide it.
struct FixedZoneContent: AuthoritativeZoneContent {
    var sts: [String: String]
    var tlsrpt: [String: String]
    var serial: UInt32

    func stsRecord(label: String) -> String? { sts[label] }
    func tlsrptRecord(label: String) -> String? { tlsrpt[label] }
}
