import JSON

/// Reads the members of a request object field by field, collecting every rule broken.
///
/// Unknown members are errors (`unknown_field`), so a misspelled field never passes silently.
///
/// ```swift
/// var fields = try JSONFields(body: request.body, allowed: ["email", "password"])
/// let email = fields.string("email", maxLength: 254)
/// try fields.finish()     // throws 422 listing every problem
/// ```
package struct JSONFields {
    /// The broken rules so far.
    package private(set) var errors: [FieldError] = []
    private let members: [JSONMember]

    /// Parses `body` as a JSON object and records unknown members.
    /// - Throws: 400 `malformed-json` when the body is empty, not JSON, or not an object.
    package init(body: [UInt8], allowed: Set<String>) throws(APIError) {
        guard !body.isEmpty else { throw APIError.malformedBody("The request needs a JSON object body.") }
        let value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch {
            throw APIError.malformedBody(error.message)
        }
        guard case .object(let members) = value else {
            throw APIError.malformedBody(
                "The body must be a JSON object, not \(value.typeName == "array" ? "an" : "a") \(value.typeName)."
            )
        }
        self.members = members
        for member in members where !allowed.contains(member.key) {
            errors.append(
                FieldError(
                    field: String(member.key.prefix(100)),
                    rule: "unknown_field",
                    message: "Unknown field; allowed: \(allowed.sorted().joined(separator: ", "))."
                )
            )
        }
    }

    /// Adds a broken rule.
    package mutating func fail(_ field: String, rule: String, _ message: String) {
        errors.append(FieldError(field: field, rule: rule, message: message))
    }

    /// Throws a 422 naming every broken rule, if any.
    package func finish() throws(APIError) {
        guard errors.isEmpty else { throw APIError.validation(errors) }
    }

    private mutating func value(_ key: String, required: Bool) -> JSONValue? {
        guard let value = members.first(where: { $0.key == key })?.value, value != .null else {
            if required { fail(key, rule: "required", "This field is required.") }
            return nil
        }
        return value
    }

    /// A string member of `minLength...maxLength` characters, counted as Unicode scalars (code points) as JSON
    /// Schema's `minLength` and `maxLength` count them.
    package mutating func string(
        _ key: String,
        required: Bool = true,
        minLength: Int = 1,
        maxLength: Int
    ) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard case .string(let string) = value else {
            fail(key, rule: "type", "Expected a string, got a \(value.typeName).")
            return nil
        }
        guard string.unicodeScalars.count >= minLength else {
            fail(key, rule: minLength == 1 ? "required" : "min_length", "At least \(minLength) characters.")
            return nil
        }
        guard string.unicodeScalars.count <= maxLength else {
            fail(key, rule: "max_length", "At most \(maxLength) characters.")
            return nil
        }
        return string
    }

    /// An integer member within `range`. A number with a zero fraction (`60.0`, `6e1`) is an integer, as in JSON
    /// Schema (2020-12 §6.1.1).
    package mutating func int(_ key: String, required: Bool = true, range: ClosedRange<Int>) -> Int? {
        guard let value = value(key, required: required) else { return nil }
        let integer: Int?
        switch value {
        case .int(let number):
            integer = number
        case .double(let number) where number.isFinite && number.rounded(.towardZero) == number:
            integer = Int(exactly: number)
        default:
            fail(key, rule: "type", "Expected an integer, got a \(value.typeName).")
            return nil
        }
        guard let number = integer, range.contains(number) else {
            fail(key, rule: "range", "Must be between \(range.lowerBound) and \(range.upperBound).")
            return nil
        }
        return number
    }

    /// A boolean member.
    package mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = value(key, required: required) else { return nil }
        guard case .bool(let flag) = value else {
            fail(key, rule: "type", "Expected a boolean, got a \(value.typeName).")
            return nil
        }
        return flag
    }

    /// An array of strings, at most `maxCount` elements of 1 to `maxLength` characters (Unicode scalars) each.
    package mutating func strings(_ key: String, required: Bool = true, maxCount: Int, maxLength: Int) -> [String]? {
        guard let value = value(key, required: required) else { return nil }
        guard case .array(let elements) = value else {
            fail(key, rule: "type", "Expected an array of strings, got a \(value.typeName).")
            return nil
        }
        guard elements.count <= maxCount else {
            fail(key, rule: "max_items", "At most \(maxCount) entries.")
            return nil
        }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                fail("\(key)[\(index)]", rule: "type", "Expected a string, got a \(element.typeName).")
                continue
            }
            guard string.unicodeScalars.count <= maxLength, !string.isEmpty else {
                fail("\(key)[\(index)]", rule: "length", "Between 1 and \(maxLength) characters.")
                continue
            }
            strings.append(string)
        }
        return strings.count == elements.count ? strings : nil
    }
}
