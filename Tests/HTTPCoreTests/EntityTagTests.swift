import HTTPCore
import Testing

@Suite struct EntityTagTests {
    static func strong(_ tag: String) -> EntityTag { EntityTag(opaqueTag: tag) }
    static func weak(_ tag: String) -> EntityTag { EntityTag(opaqueTag: tag, isWeak: true) }

    @Test(arguments: [
        // RFC 9110 §8.8.3 and §13.1.1 examples.
        (#""xyzzy""#, [strong("xyzzy")]),
        (#""xyzzy", "r2d2xxxx", "c3piozzzz""#, [strong("xyzzy"), strong("r2d2xxxx"), strong("c3piozzzz")]),
        (#"W/"xyzzy""#, [weak("xyzzy")]),
        (#""""#, [strong("")]),
        // RFC 9110 §5.6.1.2: empty elements and whitespace around commas are skipped.
        (", \"a\" ,, W/\"b\",\t\"c\",", [strong("a"), weak("b"), strong("c")]),
        // A comma inside the quotes belongs to the tag; obs-text is an etagc.
        (#""a,b""#, [strong("a,b")]),
        ("\"caf\u{E9}\"", [strong("caf\u{E9}")]),
    ])
    func parsesLists(value: String, tags: [EntityTag]) {
        #expect(EntityTag.list(parsing: value) == tags)
    }

    @Test(arguments: [
        "", ",", " , ", "*", #"*, "a""#, "xyzzy", #"w/"xyzzy""#, #"W/ "xyzzy""#, #""a"b""#, #""a" "b""#, #""a"#,
        #""a\"b""#, "\"a\u{7F}\"", "\"a b\"",
    ])
    func refusesWhatIsNotAList(value: String) {
        #expect(EntityTag.list(parsing: value) == nil)
    }
}
