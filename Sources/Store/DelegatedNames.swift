/// The names in the platform's zone a tenant CNAMEs its records to.
package enum DelegatedNames {
    /// `<label>._mta-sts.<zone>`.
    package static func sts(label: String, zone: String) -> String { "\(label)._mta-sts.\(zone)" }
    /// `<label>._smtp._tls.<zone>`.
    package static func tlsrpt(label: String, zone: String) -> String { "\(label)._smtp._tls.\(zone)" }
}
