/// The `_smtp._tls` TXT record naming where TLS reports go (RFC 8460 §3).
///
/// ```swift
/// let record = try TLSRPTRecord(rua: ["mailto:tlsrpt@example.com", "https://r.example.net/tlsrpt"])
/// record.text   // "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.net/tlsrpt"
/// ```
package struct TLSRPTRecord: Equatable, Hashable, Sendable {
    /// The reporting URIs, in order, exactly as given.
    package let rua: [String]
    /// Unknown extension fields found while parsing (first of each name); never rendered.
    package let extensions: [RecordExtension]

    /// Creates a record after validating every URI (see ``validateURI(_:)``).
    /// - Throws: `RecordError` `.missingRUA` for an empty list, `.invalidRUA` for a bad URI.
    package init(rua: [String]) throws(RecordError) {
        guard !rua.isEmpty else {
            throw RecordError(.missingRUA, field: "rua", message: "At least one reporting URI is needed.")
        }
        for uri in rua {
            try Self.validateURI(uri)
        }
        self.rua = rua
        self.extensions = []
    }

    private init(validatedRUA rua: [String], extensions: [RecordExtension]) {
        self.rua = rua
        self.extensions = extensions
    }

    /// The canonical TXT text: `v=TLSRPTv1; rua=<uri>,<uri>` (no spaces around commas, no extensions).
    package var text: String { "v=TLSRPTv1; rua=" + rua.joined(separator: ",") }

    /// Parses one record's text per the RFC 8460 §3 ABNF.
    ///
    /// `v=TLSRPTv1` first, `*WSP ";" *WSP` between fields, trailing `;` allowed, the first `rua` wins, URIs in it
    /// separated by `*WSP "," *WSP`, unknown extension fields validated against the grammar and ignored.
    /// - Throws: `RecordError`.
    package init(parsing record: String) throws(RecordError) {
        let fields = try RecordGrammar.fields(of: record, version: "TLSRPTv1")
        guard let value = fields.first(where: { $0.name == "rua" })?.value else {
            throw RecordError(.missingRUA, field: "rua", message: "The record has no rua field.")
        }
        let uris = value.split(separator: ",", omittingEmptySubsequences: false).map(RecordGrammar.trimmingWhitespace)
        for uri in uris {
            try Self.validateURI(uri)
        }
        self.init(validatedRUA: uris, extensions: try RecordGrammar.extensions(from: fields, known: ["rua"]))
    }

    /// Picks the reporting record out of every TXT RR at `_smtp._tls.<domain>`.
    ///
    /// RRs are concatenated without separator; those not starting with `v=TLSRPTv1;` are discarded and exactly
    /// one must remain (RFC 8460 §3).
    package static func discover(txtRecords: [[String]]) -> TLSRPTDiscovery {
        TLSRPTDiscovery.select(txtRecords, prefix: "v=TLSRPTv1;") {
            (text: String) throws(RecordError) -> TLSRPTRecord in try TLSRPTRecord(parsing: text)
        }
    }
}
