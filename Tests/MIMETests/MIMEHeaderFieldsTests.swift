import MIME
import Testing

@Suite struct MIMEHeaderFieldsTests {
    private let fields = MIMEHeaderFields([
        MIMEHeaderField(name: "Received", value: "a"),
        MIMEHeaderField(name: "Subject", value: "s"),
        MIMEHeaderField(name: "RECEIVED", value: "b"),
    ])

    @Test func lookupIgnoresCase() {
        #expect(fields.first("received") == "a")
        #expect(fields.first("subJECT") == "s")
        #expect(fields.first("To") == nil)
        #expect(fields.contains("SUBJECT"))
        #expect(!fields.contains("Subjec"))
    }

    @Test func duplicatesKeepTheirOrder() {
        #expect(fields.values("Received") == ["a", "b"])
        #expect(fields.values("To").isEmpty)
        #expect(fields.map(\.name) == ["Received", "Subject", "RECEIVED"])
        #expect(fields.count == 3)
    }

    @Test func fieldNames() {
        #expect(MIMEHeaderField(name: "Content-Type", value: "").hasName("content-type"))
        #expect(!MIMEHeaderField(name: "Content-Type", value: "").hasName("content-typ"))
        #expect(!MIMEHeaderField(name: "É", value: "").hasName("é"))
    }
}
