import TestSupport

extension SplitMix64 {
    /// An LDH label of `length` characters that starts and ends with a letter or digit.
    mutating func ldhLabel(length: Int) -> String {
        let edge = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let inner = edge + ["-"]
        return String(
            (0..<length).map { index in
                index == 0 || index == length - 1 ? element(of: edge) : element(of: inner)
            }
        ).replacingHyphensAtThirdPosition()
    }
}
extension String {
    /// Avoids the reserved `??--` form in generated labels.
    fileprivate func replacingHyphensAtThirdPosition() -> String {
        var characters = Array(self)
        if characters.count >= 4, characters[2] == "-", characters[3] == "-" { characters[3] = "x" }
        return String(characters)
    }
}
