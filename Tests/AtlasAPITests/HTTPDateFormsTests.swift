import Foundation
import Testing

@testable import AtlasAPI

/// The header parsing that replaced Foundation's DateFormatter and trimmingCharacters.
@Suite struct HTTPDateFormsTests {
    /// 1994-11-06 08:49:37 UTC, RFC 9110's own example, in each of the three forms it makes recipients accept.
    static let example = Date(timeIntervalSince1970: 784_111_777)

    @Test func theThreeFormsOfRFC9110AreTheSameInstant() {
        #expect(HTTPDates.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Self.example)
        #expect(HTTPDates.parse("Sunday, 06-Nov-94 08:49:37 GMT") == Self.example)
        #expect(HTTPDates.parse("Sun Nov  6 08:49:37 1994") == Self.example)
        #expect(HTTPDates.parse("  Sun, 6 Nov 1994 08:49:37 UTC\r\n") == Self.example)
    }

    @Test func twoDigitYearsBeforeSeventyAreThisCentury() {
        #expect(HTTPDates.parse("Thursday, 01-Jul-27 00:00:00 GMT") == Date(timeIntervalSince1970: 1_814_400_000))
    }

    @Test func impossibleOrForeignDatesAreRejected() {
        for text in [
            "Mon, 30 Feb 2026 00:00:00 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Nov 1994 08:49 GMT", "06 Nov 1994 08:49:37 GMT", "",
            "Sun, 06 Nov 994 08:49:37 GMT",
        ] {
            #expect(HTTPDates.parse(text) == nil, "\(text)")
        }
    }

    @Test func whitespaceIsTrimmedLikeFoundationsWhitespacesAndNewlines() {
        #expect(" \t value \r\n".trimmingWhitespace() == "value")
        #expect("a b".trimmingWhitespace() == "a b")
        #expect(" \n\t ".trimmingWhitespace() == "")
        #expect("\u{00A0}x\u{2003}".trimmingWhitespace() == "x")
        #expect("name: value"[...].dropFirst(5).trimmingWhitespace() == "value")
    }
}
