package import Foundation

/// A Swift value that can be sent to PostgreSQL as a text-format parameter.
package protocol PostgresEncodable: Sendable {
    /// The value in PostgreSQL's text input format.
    var postgresBind: PostgresBind { get }
    /// An explicit cast appended after the placeholder (`$1::uuid`), for types PostgreSQL cannot infer.
    static var postgresCast: String? { get }
}

extension PostgresEncodable {
    package static var postgresCast: String? { nil }
}

extension String: PostgresEncodable {
    package var postgresBind: PostgresBind { PostgresBind(self) }
    package static var postgresCast: String? { "text" }
}

extension Int: PostgresEncodable {
    package var postgresBind: PostgresBind { PostgresBind(String(self)) }
    package static var postgresCast: String? { "int8" }
}

extension Int32: PostgresEncodable {
    package var postgresBind: PostgresBind { PostgresBind(String(self)) }
    package static var postgresCast: String? { "int4" }
}

extension Int64: PostgresEncodable {
    package var postgresBind: PostgresBind { PostgresBind(String(self)) }
    package static var postgresCast: String? { "int8" }
}

extension Bool: PostgresEncodable {
    package var postgresBind: PostgresBind { PostgresBind(self ? "t" : "f") }
    package static var postgresCast: String? { "bool" }
}

extension Double: PostgresEncodable {
    package var postgresBind: PostgresBind { PostgresBind(String(self)) }
    package static var postgresCast: String? { "float8" }
}

extension UUID: PostgresEncodable {
    package var postgresBind: PostgresBind { PostgresBind(uuidString.lowercased()) }
    package static var postgresCast: String? { "uuid" }
}

extension Date: PostgresEncodable {
    package var postgresBind: PostgresBind { PostgresBind(PostgresTimestamp.format(self)) }
    package static var postgresCast: String? { "timestamptz" }
}

/// Binary data sent as `bytea` (hex text format).
package struct PostgresBytes: PostgresEncodable, Equatable, Hashable {
    package var bytes: [UInt8]

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    package var postgresBind: PostgresBind {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return PostgresBind(String(decoding: text, as: UTF8.self))
    }

    package static var postgresCast: String? { "bytea" }
}

/// A `text[]` parameter.
package struct PostgresTextArray: PostgresEncodable, Equatable {
    package var elements: [String]

    package init(_ elements: [String]) {
        self.elements = elements
    }

    package var postgresBind: PostgresBind {
        let quoted = elements.map { element -> String in
            var escaped = "\""
            for character in element {
                if character == "\"" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped + "\""
        }
        return PostgresBind("{" + quoted.joined(separator: ",") + "}")
    }

    package static var postgresCast: String? { "text[]" }
}

/// A `uuid[]` parameter (`WHERE id = ANY($1)` keeps using the index, unlike a cast of the column).
package struct PostgresUUIDArray: PostgresEncodable, Equatable {
    package var elements: [UUID]

    package init(_ elements: [UUID]) {
        self.elements = elements
    }

    package var postgresBind: PostgresBind {
        PostgresBind("{" + elements.map { $0.uuidString.lowercased() }.joined(separator: ",") + "}")
    }

    package static var postgresCast: String? { "uuid[]" }
}
