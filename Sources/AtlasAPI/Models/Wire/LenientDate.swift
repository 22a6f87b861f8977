#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An ISO 8601 timestamp decoded leniently: with or without fractional seconds, and nil (not an error)
/// when the server sends something unreadable, so one odd date never fails a whole page of users.
struct LenientDate: Decodable, Sendable {
    let date: Date?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        date = (try? container.decode(String.self)).flatMap(Self.parse)
    }

    /// Parses `2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.123Z` and offsets like `+02:00`.
    static func parse(_ text: String) -> Date? {
        var text = text
        if let date = text.withUTF8({ commonForm(UnsafeRawBufferPointer($0)) }) { return date }
        return parseWithFormatStyles(text)
    }

    /// The reference reading, which ``commonForm(_:)`` must match bit for bit.
    static func parseWithFormatStyles(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: false).parse(text) { return date }
        return nil
    }
}

extension LenientDate {
    /// The date of `2024-05-01T12:00:00Z` or `2024-05-01T12:00:00+02:00` exactly (what Atlas sends),
    /// computed by hand: the format styles cost more than the rest of a user. Nil for any other text,
    /// and for fields out of their ranges, which the format styles then read their own way.
    static func commonForm(_ text: UnsafeRawBufferPointer) -> Date? {
        guard text.count == 20 || text.count == 25 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for position in start..<(start + count) {
                let digit = Int(text[position]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        func byte(_ position: Int, is character: Unicode.Scalar) -> Bool { text[position] == UInt8(ascii: character) }
        guard byte(4, is: "-"), byte(7, is: "-"), byte(10, is: "T"), byte(13, is: ":"), byte(16, is: ":"),
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1601...9999).contains(year), (1...12).contains(month),
            (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var offsetSeconds = 0
        if text.count == 20 {
            guard byte(19, is: "Z") else { return nil }
        } else {
            guard byte(19, is: "+") || byte(19, is: "-"), byte(22, is: ":"),
                let offsetHours = number(20, 2), let offsetMinutes = number(23, 2), offsetHours < 18, offsetMinutes < 60
            else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (byte(19, is: "-") ? -1 : 1)
        }
        let seconds = daysSince1970(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSinceReferenceDate: Double(seconds - offsetSeconds - 978_307_200))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days-from-civil, for the proleptic Gregorian calendar the format styles use.
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension KeyedDecodingContainer {
    /// The date at `key`, or nil when it is missing, null or unreadable.
    func lenientDate(_ key: Key) -> Date? {
        (try? decodeIfPresent(LenientDate.self, forKey: key))??.date
    }
}
