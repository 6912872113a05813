import HTTPCore
import Testing

@Suite struct HTTPFieldsTests {
    @Test func namesCompareCaseInsensitively() throws {
        let name = try #require(HTTPField.Name("content-TYPE"))
        #expect(name == .contentType)
        #expect(name.rawName == "content-TYPE")
        #expect(name.canonicalName == "content-type")
        #expect(name.hashValue == HTTPField.Name.contentType.hashValue)
    }

    @Test func rejectsInvalidNames() {
        #expect(HTTPField.Name("") == nil)
        #expect(HTTPField.Name("Bad Name") == nil)
        #expect(HTTPField.Name("X:Y") == nil)
        #expect(HTTPField.Name("X-Ok_1.~") != nil)
    }

    @Test func subscriptReturnsFirstValue() {
        var fields = HTTPFields()
        fields.append(.cacheControl, "no-store")
        fields.append(.cacheControl, "max-age=0")
        #expect(fields[.cacheControl] == "no-store")
        #expect(fields.values(for: .cacheControl) == ["no-store", "max-age=0"])
        #expect(fields[.etag] == nil)
        #expect(fields.count == 2)
    }

    @Test func setReplacesAllLinesInPlace() {
        var fields: HTTPFields = [.server: "s", .allow: "GET", .date: "d"]
        fields.append(.allow, "HEAD")
        fields.set(.allow, "GET, HEAD")
        #expect(fields.map(\.name) == [.server, .allow, .date])
        #expect(fields.values(for: .allow) == ["GET, HEAD"])
        fields.set(.location, "/x")
        #expect(fields.last?.name == .location)
    }

    @Test func subscriptSetterSetsAndRemoves() {
        var fields: HTTPFields = [.retryAfter: "120"]
        fields[.retryAfter] = "60"
        #expect(fields[.retryAfter] == "60")
        fields[.retryAfter] = nil
        #expect(fields.isEmpty)
    }

    @Test func removeDropsEveryLineWithTheName() throws {
        var fields: HTTPFields = [.wwwAuthenticate: "Bearer", .userAgent: "u"]
        fields.append(try #require(HTTPField.Name("www-authenticate")), "Basic")
        fields.remove(.wwwAuthenticate)
        #expect(fields.map(\.name) == [.userAgent])
        #expect(!fields.contains(.wwwAuthenticate))
        #expect(fields.contains(.userAgent))
    }

    @Test func keepsInsertionOrderAndDuplicates() {
        var fields = HTTPFields()
        fields.append(.accept, "a")
        fields.append(.authorization, "b")
        fields.append(.accept, "c")
        #expect(fields.map(\.value) == ["a", "b", "c"])
    }

    @Test func containsTokenReadsLists() {
        let fields: HTTPFields = [.connection: " Keep-Alive ,Upgrade", .ifMatch: "\"x\", \"y\""]
        #expect(fields.containsToken("keep-alive", for: .connection))
        #expect(fields.containsToken("upgrade", for: .connection))
        #expect(!fields.containsToken("keep", for: .connection))
        #expect(!fields.containsToken("close", for: .connection))
        #expect(fields.containsToken("\"y\"", for: .ifMatch))
    }

    @Test func equalityIgnoresNameCase() throws {
        let lower: HTTPFields = [try #require(HTTPField.Name("host")): "a"]
        let upper: HTTPFields = [.host: "a"]
        #expect(lower == upper)
    }
}

@Suite struct HTTPSyntaxTableTests {
    static let tokenCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~".utf8
    )
    static let hostCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%!$&'()*+,;=:[]".utf8
    )

    @Test func tokenBitmapMatchesRFC9110() {
        for byte in UInt8(0)...UInt8(255) {
            let name = HTTPField.Name(String(decoding: [UInt8(ascii: "X"), byte], as: UTF8.self))
            let isToken = Self.tokenCharacters.contains(byte)
            #expect((name != nil) == isToken, "byte \(byte)")
        }
    }

    @Test func hostBitmapMatchesRFC3986() {
        for byte in UInt8(0x21)...UInt8(0x7E) {
            let bytes = Array("GET / HTTP/1.1\r\nHost: a".utf8) + [byte] + Array("\r\n\r\n".utf8)
            let accepted = parseRequests(bytes).error == nil
            #expect(accepted == Self.hostCharacters.contains(byte), "byte \(byte)")
        }
    }
}
