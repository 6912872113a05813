import JSON

/// One entry of a validation problem's `errors` array: which field broke which rule.
package struct FieldError: Sendable, Equatable {
    /// The JSON field (`email`, `mx[2]`), query parameter (`limit`) or header (`If-Match`).
    package var field: String
    /// A stable machine-readable rule name (`required`, `type`, `max_length`, `email`, …).
    package var rule: String
    /// A sentence for people.
    package var message: String

    package init(field: String, rule: String, message: String) {
        self.field = field
        self.rule = rule
        self.message = message
    }

    var json: JSONValue { ["field": .string(field), "rule": .string(rule), "message": .string(message)] }
}
