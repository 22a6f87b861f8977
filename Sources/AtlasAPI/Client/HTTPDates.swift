#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Parses the HTTP header values the client acts on: `Retry-After`, `Deprecation` and `Sunset`.
enum HTTPDates {
    /// An HTTP date in any of the three forms RFC 9110 makes recipients accept, one-digit days too:
    /// IMF-fixdate (`Thu, 01 Jul 2027 00:00:00 GMT`), RFC 850 (`Thursday, 01-Jul-27 00:00:00 GMT`) and
    /// asctime (`Thu Jul  1 00:00:00 2027`); or an RFC 9745 structured date (`@1740000000`).
    static func parse(_ value: String) -> Date? {
        let text = value.trimmingWhitespace()
        if text.hasPrefix("@"), let seconds = Double(text.dropFirst()) {
            return Date(timeIntervalSince1970: seconds)
        }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).map(String.init)
        guard fields.count == 5 || fields.count == 6, fields[0].allSatisfy(\.isLetter) else { return nil }
        // Day first (IMF-fixdate, RFC 850, both ending in GMT), else month first (asctime, no zone).
        let day: String
        let month: String
        let year: String
        let time: String
        if fields.count == 6 {
            guard fields[5] == "GMT" || fields[5] == "UTC" else { return nil }
            (day, month, year, time) = (fields[1], fields[2], fields[3], fields[4])
        } else {
            (month, day, time, year) = (fields[1], fields[2], fields[3], fields[4])
        }
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard let dayNumber = Int(day), let monthNumber = monthNames.firstIndex(of: month).map({ $0 + 1 }),
            var yearNumber = Int(year), year.count == 2 || year.count == 4, clock.count == 3,
            (1...31).contains(dayNumber), (0...23).contains(clock[0]), (0...59).contains(clock[1]),
            (0...60).contains(clock[2])
        else { return nil }
        // RFC 850's two-digit years: 70 and later are 19xx, as most HTTP stacks read them.
        if year.count == 2 { yearNumber += yearNumber >= 70 ? 1900 : 2000 }
        let components = DateComponents(
            year: yearNumber, month: monthNumber, day: dayNumber, hour: clock[0], minute: clock[1], second: clock[2])
        guard let date = gmtCalendar.date(from: components),
            gmtCalendar.component(.day, from: date) == dayNumber
        else { return nil }
        return date
    }

    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    private static let gmtCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    /// `Retry-After` as seconds to wait: delta-seconds or an HTTP date; nil when absent or unreadable.
    static func retryAfterSeconds(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingWhitespace(), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        return parse(value).map { max(0, $0.timeIntervalSince(now)) }
    }
}
