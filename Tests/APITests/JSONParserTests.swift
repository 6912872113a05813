import API
import JSON
import Testing

@Suite struct JSONParserTests {
    func parse(_ text: String) -> JSONValue? { try? JSONParser.parse(Array(text.utf8)) }

    @Test func parsesEveryKindOfValueKeepingMemberOrder() throws {
        let value = try #require(parse(#" {"b":[1,-2.5e1,true,false,null],"a":"x\u00e9\ud83d\ude00\n"} "#))
        #expect(
            value
                == .object([
                    JSONMember(key: "b", value: [1, .double(-25), true, false, .null]),
                    JSONMember(key: "a", value: "xé😀\n"),
                ])
        )
        #expect(value.text == #"{"b":[1,-25.0,true,false,null],"a":"xé😀\n"}"#)
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "+1", "1e", "NaN", "tru", "nul",
        "\"\\x\"", "\"\u{01}\"", "\"\\ud800\"", "\"\\udc00x\"", "{\"a\" 1}", "{a:1}", "[1 2]", "\"abc",
        "{\"a\":1,\"a\":2}", "1 2", "[]]",
    ])
    func refusesMalformedDocuments(_ text: String) {
        #expect(parse(text) == nil, "\(text)")
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect((try? JSONParser.parse([0x22, 0xC3, 0x28, 0x22])) == nil)
        let deep =
            String(repeating: "[", count: JSONParser.maximumDepth + 1)
            + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(parse(deep) == nil)
        let allowed =
            String(repeating: "[", count: JSONParser.maximumDepth)
            + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(parse(allowed) != nil)
    }

    @Test func bigIntegersBecomeDoublesAndControlCharactersAreEscaped() {
        #expect(parse("100000000000000000000") == .double(1e20))
        #expect(JSONValue.string("a\u{01}\"\\").text == #""a\u0001\"\\""#)
    }
}
