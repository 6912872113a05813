import Foundation

/// JSON coding for ACME messages: compact output with sorted keys and unescaped slashes, so the bytes signed
/// in a JWS are deterministic and URLs stay exactly as the server wrote them.
enum ACMEJSON {
    /// Encodes `value` compactly with sorted keys.
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw ACMEError(.invalidRequest, "cannot encode JSON", underlying: error)
        }
    }

    /// Decodes a `T` from `bytes`.
    ///
    /// - Throws: ``ACMEError/Code/invalidResponse`` naming `what` when the JSON is malformed or incomplete.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw ACMEError(.invalidResponse, "malformed \(what) JSON", underlying: error)
        }
    }
}
