import CivilTime
import Foundation

/// Parses HTTP-dates (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms recipients MUST
/// accept.
enum HTTPDateParser {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The instant, or `nil` when `text` is not an HTTP-date.
    static func date(from text: String) -> Date? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (Int, Int, Int)?
        switch tokens.count {
        // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" → 6 tokens; RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" → 4;
        // asctime "Sun Nov  6 08:49:37 1994" → 5.
        case 6 where tokens[5] == "GMT":
            day = Int(tokens[1])
            month = monthNumber(tokens[2])
            year = Int(tokens[3])
            time = clock(tokens[4])
        case 4 where tokens[3] == "GMT":
            let parts = tokens[1].split(separator: "-").map(String.init)
            guard parts.count == 3, let twoDigit = Int(parts[2]) else { return nil }
            day = Int(parts[0])
            month = monthNumber(parts[1])
            // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future means the previous century.
            year = twoDigit < 70 ? 2000 + twoDigit : 1900 + twoDigit
            time = clock(tokens[2])
        case 5:
            // asctime "Sun Nov  6 08:49:37 1994"
            month = monthNumber(tokens[1])
            day = Int(tokens[2])
            time = clock(tokens[3])
            year = Int(tokens[4])
        default:
            return nil
        }
        guard let day, let month, let year, let time, (1...31).contains(day), year >= 1970 else { return nil }
        let seconds = CivilDate(year: year, month: month, day: day).epochSeconds(
            secondOfDay: time.0 * 3600 + time.1 * 60 + time.2
        )
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func monthNumber(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    private static func clock(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3, (0...23).contains(parts[0]), (0...59).contains(parts[1]), (0...60).contains(parts[2])
        else {
            return nil
        }
        return (parts[0], parts[1], parts[2])
    }
}
