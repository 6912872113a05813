/// One header field of a received entity: its name as received and its unfolded value.
///
/// The value has the line breaks of folding removed (RFC 5322 §2.2.3), leading and trailing whitespace trimmed, and
/// is decoded leniently: UTF-8 when valid, ISO-8859-1 otherwise, control characters replaced by U+FFFD. RFC 2047
/// encoded-words are left as they are.
package struct MIMEHeaderField: Sendable, Hashable {
    /// The field name as received, e.g. `Content-Type`.
    package let name: String
    /// The unfolded, trimmed value.
    package let value: String

    /// Creates a field.
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Whether the field's name is `name`, ignoring ASCII case (RFC 5322 §1.2.2).
    package func hasName(_ name: String) -> Bool {
        MIMEText.equalIgnoringASCIICase(self.name, name)
    }
}
