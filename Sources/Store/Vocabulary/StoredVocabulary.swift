package import Database
package import MTASTS

/// A closed set of values stored in a `text` column whose `CHECK` lists the same values (the migrations).
///
/// Conforming enums are bound and decoded by their raw value, so no SQL in `Store` spells a status, kind or
/// mode as a literal that could drift from the Swift type. An unknown value in a row is a decoding error.
package protocol StoredVocabulary: RawRepresentable, PostgresEncodable, PostgresDecodable
where RawValue == String {}

extension StoredVocabulary {
    /// The raw value as a `text` parameter.
    package var postgresBind: PostgresBind { PostgresBind(rawValue) }
    /// Always `text`: the columns are `text` with a `CHECK`.
    package static var postgresCast: String? { "text" }
    /// Text-like columns only.
    package static var acceptedOIDs: Set<UInt32> { String.acceptedOIDs }

    /// NULL is an error: these columns are `NOT NULL`.
    package static var nullValue: Self? { nil }

    /// The case with this raw value; nil (a decoding error) for a value the type does not know.
    package init?(postgresText text: String) {
        self.init(rawValue: text)
    }
}

/// `policies.mode`: the model's modes, spelt as in the policy file (RFC 8461 §5).
extension PolicyMode: StoredVocabulary {}
