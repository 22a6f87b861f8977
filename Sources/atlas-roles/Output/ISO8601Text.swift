#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A date as `Date.formatted(.iso8601)` writes it (`2025-06-15T15:06:40Z`: UTC, whole seconds), for
/// the machine formats of `list`.
///
/// The format style builds a Gregorian calendar's components for every date, which made it a large
/// part of `list -o json`'s time; the arithmetic of a proleptic Gregorian calendar writes the same
/// text for the dates it covers. Outside the years 1583 to 9999 (before 1582's switch from the
/// Julian calendar, and where the year needs a fifth digit or a sign) the format style itself is
/// asked, so every date keeps the text it had.
///
/// ```swift
/// ISO8601Text.string(Date(timeIntervalSince1970: 1_750_000_000))  // "2025-06-15T15:06:40Z"
/// ```
enum ISO8601Text {
    /// The dates written by arithmetic, as seconds since the reference date: 1583-01-01T00:00:00Z
    /// up to, not including, 10000-01-01T00:00:00Z.
    static let arithmeticRange: Range<TimeInterval> = {
        let start1583Since1970 = -12_212_553_600
        let start10000Since1970 = 253_402_300_800
        let start = TimeInterval(start1583Since1970 - secondsFrom1970ToReferenceDate)
        return start..<TimeInterval(start10000Since1970 - secondsFrom1970ToReferenceDate)
    }()

    private static let secondsFrom1970ToReferenceDate = 978_307_200

    static func string(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the date's text as UTF-8.
    static func append(_ date: Date, to bytes: inout [UInt8]) {
        let sinceReference = date.timeIntervalSinceReferenceDate
        guard arithmeticRange.contains(sinceReference) else {
            bytes.append(contentsOf: date.formatted(.iso8601).utf8)
            return
        }
        // The format style drops a fraction of a second: the second that has begun, before 1970 too.
        let seconds = Int(sinceReference.rounded(.down)) + secondsFrom1970ToReferenceDate
        let (days, secondOfDay) = seconds.floorDividedBy(86_400)
        let (year, month, day) = civilDate(daysSince1970: days)
        appendTwoDigits(year / 100, to: &bytes)
        appendTwoDigits(year % 100, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendTwoDigits(month, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendTwoDigits(day, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendTwoDigits(secondOfDay / 3_600, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay / 60 % 60, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay % 60, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Year, month and day of the proleptic Gregorian calendar (Howard Hinnant's `civil_from_days`,
    /// which counts in 400-year eras starting on a March 1st so that a leap day ends its year).
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let (era, dayOfEra) = (days + 719_468).floorDividedBy(146_097)
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `value`, from 0 to 99, as two decimal digits.
    private static func appendTwoDigits(_ value: Int, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10))
    }
}

extension Int {
    /// Quotient rounded toward negative infinity and a remainder that is never negative.
    fileprivate func floorDividedBy(_ divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = self % divisor
        return remainder < 0 ? (self / divisor - 1, remainder + divisor) : (self / divisor, remainder)
    }
}
