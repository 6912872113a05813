package import Foundation

/// PostgreSQL type OIDs the decoders check against (from `pg_type.dat`).
package enum PostgresOID {
    package static let bool: UInt32 = 16
    package static let bytea: UInt32 = 17
    package static let name: UInt32 = 19
    package static let int8: UInt32 = 20
    package static let int2: UInt32 = 21
    package static let int4: UInt32 = 23
    package static let text: UInt32 = 25
    package static let oid: UInt32 = 26
    package static let json: UInt32 = 114
    package static let float4: UInt32 = 700
    package static let float8: UInt32 = 701
    package static let bpchar: UInt32 = 1042
    package static let varchar: UInt32 = 1043
    package static let textArray: UInt32 = 1009
    package static let varcharArray: UInt32 = 1015
    package static let timestamp: UInt32 = 1114
    package static let timestamptz: UInt32 = 1184
    package static let numeric: UInt32 = 1700
    package static let uuid: UInt32 = 2950
    package static let jsonb: UInt32 = 3802
}

/// A Swift value that can be read from a text-format result column.
package protocol PostgresDecodable: Sendable {
    /// The column types this decoder accepts; a column of another type is a decoding error, not a guess.
    static var acceptedOIDs: Set<UInt32> { get }
    /// Builds the value from the column's text; `nil` means the text is not valid for the type.
    init?(postgresText text: String)
    /// The value a SQL NULL decodes to, or `nil` when NULL is an error for this type.
    static var nullValue: Self? { get }
}

extension PostgresDecodable {
    package static var nullValue: Self? { nil }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    package static var acceptedOIDs: Set<UInt32> { Wrapped.acceptedOIDs }
    package static var nullValue: Self? { .some(.none) }
    package init?(postgresText text: String) {
        guard let value = Wrapped(postgresText: text) else { return nil }
        self = .some(value)
    }
}

extension String: PostgresDecodable {
    package static let acceptedOIDs: Set<UInt32> = [
        PostgresOID.text, PostgresOID.varchar, PostgresOID.bpchar, PostgresOID.name, PostgresOID.json,
        PostgresOID.jsonb,
    ]
    package init?(postgresText text: String) { self = text }
}

extension Int: PostgresDecodable {
    package static let acceptedOIDs: Set<UInt32> = [
        PostgresOID.int2, PostgresOID.int4, PostgresOID.int8, PostgresOID.oid,
    ]
    package init?(postgresText text: String) { self.init(text) }
}

extension Int64: PostgresDecodable {
    package static var acceptedOIDs: Set<UInt32> { Int.acceptedOIDs }
    package init?(postgresText text: String) { self.init(text) }
}

extension Int32: PostgresDecodable {
    package static let acceptedOIDs: Set<UInt32> = [PostgresOID.int2, PostgresOID.int4]
    package init?(postgresText text: String) { self.init(text) }
}

extension Bool: PostgresDecodable {
    package static let acceptedOIDs: Set<UInt32> = [PostgresOID.bool]
    package init?(postgresText text: String) {
        switch text {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }
}

extension Double: PostgresDecodable {
    package static let acceptedOIDs: Set<UInt32> = [PostgresOID.float4, PostgresOID.float8, PostgresOID.numeric]
    package init?(postgresText text: String) { self.init(text) }
}

extension UUID: PostgresDecodable {
    package static let acceptedOIDs: Set<UInt32> = [PostgresOID.uuid]
    /// PostgreSQL writes a uuid as 8-4-4-4-12 hex digits. Parsed here rather than by `UUID(uuidString:)`,
    /// which goes through `sscanf`: a bulk load reads a million of them.
    package init?(postgresText text: String) {
        var text = text
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let valid = text.withUTF8 { utf8 in
            guard utf8.count == 36 else { return false }
            return withUnsafeMutableBytes(of: &uuid) { bytes in
                var position = 0
                for index in 0..<16 {
                    if position == 8 || position == 13 || position == 18 || position == 23 {
                        guard utf8[position] == UInt8(ascii: "-") else { return false }
                        position += 1
                    }
                    let high = HexDigit.values[Int(utf8[position])]
                    let low = HexDigit.values[Int(utf8[position + 1])]
                    guard high | low < 0x10 else { return false }
                    bytes[index] = high << 4 | low
                    position += 2
                }
                return true
            }
        }
        guard valid else { return nil }
        self.init(uuid: uuid)
    }
}

extension Date: PostgresDecodable {
    package static let acceptedOIDs: Set<UInt32> = [PostgresOID.timestamptz]
    package init?(postgresText text: String) {
        guard let date = PostgresTimestamp.parse(text) else { return nil }
        self = date
    }
}

extension PostgresBytes: PostgresDecodable {
    package static let acceptedOIDs: Set<UInt32> = [PostgresOID.bytea]
    package init?(postgresText text: String) {
        var text = text
        // Hex output (`\x` then two digits per byte), decoded in place: a bulk load reads a million keys this way.
        let decoded = text.withUTF8 { utf8 -> [UInt8]? in
            guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0
            else { return nil }
            let count = (utf8.count - 2) / 2
            var valid = true
            let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count {
                    let high = HexDigit.values[Int(utf8[2 + 2 * index])]
                    let low = HexDigit.values[Int(utf8[3 + 2 * index])]
                    guard high | low < 0x10 else {
                        valid = false
                        break
                    }
                    buffer[index] = high << 4 | low
                    initialized = index + 1
                }
            }
            return valid ? bytes : nil
        }
        guard let decoded else { return nil }
        self.init(decoded)
    }
}

extension PostgresTextArray: PostgresDecodable {
    package static let acceptedOIDs: Set<UInt32> = [PostgresOID.textArray, PostgresOID.varcharArray]

    /// Parses a one-dimensional array literal such as `{a,"b c",NULL}`; NULL elements are rejected.
    package init?(postgresText text: String) {
        var characters = Substring(text)
        guard characters.first == "{", characters.last == "}" else { return nil }
        characters = characters.dropFirst().dropLast()
        var elements: [String] = []
        if characters.isEmpty {
            self.init([])
            return
        }
        var iterator = characters.makeIterator()
        var current = ""
        var quoted = false
        var wasQuoted = false
        while let character = iterator.next() {
            if quoted {
                if character == "\\" {
                    guard let escaped = iterator.next() else { return nil }
                    current.append(escaped)
                } else if character == "\"" {
                    quoted = false
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
                wasQuoted = true
            } else if character == "," {
                if !wasQuoted && current == "NULL" { return nil }
                elements.append(current)
                current = ""
                wasQuoted = false
            } else if character == "{" || character == "}" {
                return nil
            } else {
                current.append(character)
            }
        }
        guard !quoted, wasQuoted || current != "NULL" else { return nil }
        elements.append(current)
        self.init(elements)
    }
}

/// Hex digit values by ASCII code, for the decoders a bulk load runs a million times.
private enum HexDigit {
    /// 0xFF for anything that is not a hex digit.
    static let values: [UInt8] = (0..<256).map { code in
        switch code {
        case 48...57: UInt8(code - 48)
        case 97...102: UInt8(code - 87)
        case 65...70: UInt8(code - 55)
        default: 0xFF
        }
    }
}
