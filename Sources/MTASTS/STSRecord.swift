/// The `_mta-sts` TXT record announcing a policy and its id (RFC 8461 §3.1).
///
/// ```swift
/// let record = STSRecord(id: try PolicyID("20261125T093000"))
/// record.text   // "v=STSv1; id=20261125T093000"
/// ```
package struct STSRecord: Equatable, Hashable, Sendable {
    /// The policy id.
    package let id: PolicyID
    /// Unknown extension fields found while parsing (first of each name); never rendered.
    package let extensions: [RecordExtension]

    /// Creates a record for an id, with no extensions.
    package init(id: PolicyID) {
        self.id = id
        self.extensions = []
    }

    /// The canonical TXT text: `v=STSv1; id=<id>` (no space before `;`, no extensions).
    package var text: String { "v=STSv1; id=\(id.string)" }

    /// Parses one record's text per the RFC 8461 §3.1 ABNF.
    ///
    /// `v=STSv1` must come first; fields are separated by `*WSP ";" *WSP`; a trailing `;` is allowed; the first
    /// `id` wins (later ones are ignored); unknown extension fields must match the extension grammar and are
    /// otherwise ignored. Names are case-sensitive (`%s"id="`).
    /// - Throws: `RecordError`.
    package init(parsing record: String) throws(RecordError) {
        let fields = try RecordGrammar.fields(of: record, version: "STSv1")
        guard let idValue = fields.first(where: { $0.name == "id" })?.value else {
            throw RecordError(.missingID, field: "id", message: "The record has no id field.")
        }
        guard let id = try? PolicyID(idValue) else {
            throw RecordError(
                .invalidID,
                field: "id",
                message: "The id \"\(idValue)\" is not 1 to 32 ASCII letters and digits."
            )
        }
        self.id = id
        self.extensions = try RecordGrammar.extensions(from: fields, known: ["id"])
    }

    /// Picks the policy record out of every TXT RR at `_mta-sts.<domain>`.
    ///
    /// Each inner array is one RR's character-strings, concatenated without separator. RRs not starting with
    /// `v=STSv1;` are discarded (RFC 8461 §3.1); zero left is `.none`, more than one is `.multiple`.
    package static func discover(txtRecords: [[String]]) -> STSDiscovery {
        STSDiscovery.select(txtRecords, prefix: "v=STSv1;") { (text: String) throws(RecordError) -> STSRecord in
            try STSRecord(parsing: text)
        }
    }
}
