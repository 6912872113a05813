import CivilTime
import Testing

@Suite struct DecimalDigitsTests {
    @Test(arguments: [
        (0, 2, "00"), (7, 2, "07"), (59, 2, "59"), (5, 3, "005"), (999, 3, "999"), (2026, 4, "2026"),
        (12_345, 3, "345"), (-4, 2, "00"), (3, 1, "3"),
    ])
    func fieldsAreZeroPaddedToTheirWidth(value: Int, width: Int, expected: String) {
        var bytes: [UInt8] = Array("x".utf8)
        DecimalDigits.append(value, width: width, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + expected)
    }

    @Test(arguments: [0, 7, 10, 99, 200, 12_345, 1_000_000, -1, -1234, Int.max, Int.min])
    func integersTakeTheirOwnDigits(value: Int) {
        var bytes: [UInt8] = Array("x".utf8)
        DecimalDigits.append(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + String(value))
    }
}
