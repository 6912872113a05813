/// What the responder answers from: implemented over an in-memory snapshot.
///
/// It is called on the event loop for every query, so it must be cheap and never block. Labels reach it
/// lower-cased; only labels of ASCII letters, digits, `-` and `_` are looked up, so a label outside that alphabet
/// is NXDOMAIN without a call.
///
/// ```swift
/// struct Snapshot: AuthoritativeZoneContent {
///     let sts: [String: String]
///     let tlsrpt: [String: String]
///     let serial: UInt32
///     func stsRecord(label: String) -> String? { sts[label] }
///     func tlsrptRecord(label: String) -> String? { tlsrpt[label] }
/// }
/// ```
package protocol AuthoritativeZoneContent: Sendable {
    /// The TXT at `<label>._mta-sts.<apex>` ("v=STSv1; id=…"), nil when no served domain has this label.
    func stsRecord(label: String) -> String?
    /// The TXT at `<label>._smtp._tls.<apex>` ("v=TLSRPTv1; rua=…"), nil when there is none.
    func tlsrptRecord(label: String) -> String?
    /// The SOA serial; it changes whenever the content changes.
    var serial: UInt32 { get }
}
