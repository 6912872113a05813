import API
import Testing

/// `JSONFields` reads members with JSON Schema's meaning of the rules `docs/openapi.yaml` states: lengths in
/// Unicode scalars, integers whatever their spelling, `null` as an absent optional member.
@Suite struct JSONFieldsTests {
    func fields(_ json: String, allowed: Set<String>) throws -> JSONFields {
        try JSONFields(body: Array(json.utf8), allowed: allowed)
    }

    @Test func integralNumbersAreIntegersAndFractionsAreNot() throws {
        var fields = try fields(#"{"a":60.0,"b":6e1,"c":90.5,"d":1e300,"e":60}"#, allowed: ["a", "b", "c", "d", "e"])
        #expect(fields.int("a", range: 0...100) == 60)
        #expect(fields.int("b", range: 0...100) == 60)
        #expect(fields.int("c", range: 0...100) == nil)
        #expect(fields.int("d", range: 0...100) == nil)
        #expect(fields.int("e", range: 0...100) == 60)
        #expect(fields.errors.map { "\($0.field) \($0.rule)" } == ["c type", "d range"])
    }

    @Test func lengthsCountUnicodeScalarsAsJSONSchemaDoes() throws {
        // "e" plus a combining acute accent is one character but two scalars.
        var fields = try fields(
            #"{"short":"e\u0301e\u0301","long":"e\u0301e\u0301e\u0301"}"#,
            allowed: ["short", "long"]
        )
        #expect(fields.string("short", minLength: 4, maxLength: 4) != nil)
        #expect(fields.string("long", maxLength: 5) == nil)
        #expect(fields.errors.map { "\($0.field) \($0.rule)" } == ["long max_length"])
    }

    @Test func nullIsAnAbsentMember() throws {
        var fields = try fields(#"{"optional":null,"required":null}"#, allowed: ["optional", "required"])
        #expect(fields.int("optional", required: false, range: 0...1) == nil)
        #expect(fields.bool("optional") == nil)
        #expect(fields.string("required", maxLength: 10) == nil)
        #expect(fields.errors.map { "\($0.field) \($0.rule)" } == ["required required"])
    }
}
