import AtlasAPI
import Foundation
import Testing

@testable import atlas_roles

/// `list -o json` written straight into bytes against `JSONEncoder` (``UserJSONReference``): the same
/// bytes for every user, hostile text, missing fields and dates at the edges included; and the
/// dates of the machine formats against `Date.formatted(.iso8601)`.
@Suite struct UserJSONWriterTests {
    /// Text a server could put in any field: every C0 control, DEL, C1 controls, bidi controls and
    /// isolates, line and paragraph separators, invisible format characters (zero-width space, soft
    /// hyphen, word joiner, BOM, tag characters), joiners inside and outside emoji, JSON's own
    /// specials (quote, backslash, slash), combining marks, non-BMP letters and the last scalar.
    static let hostileTexts: [String] = [
        "", " ", "\"", "\\", "/", "//", "\\/\"\\\"", "a/b\\c\"d", "\r\n", "\n\r\t\u{8}\u{C}",
        String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init))),
        "\u{7F}", "x\u{7F}y", String(String.UnicodeScalarView((0x80..<0xA1).compactMap(Unicode.Scalar.init))),
        "\u{AD}soft", "\u{61C}", "\u{200B}\u{200C}\u{200D}\u{200E}\u{200F}", "\u{2028}\u{2029}",
        "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}", "\u{2060}\u{2061}\u{2062}\u{2063}\u{2064}",
        "\u{2066}\u{2067}\u{2068}\u{2069}", "\u{FEFF}bom", "\u{FFF9}\u{FFFA}\u{FFFB}",
        "\u{E0001}\u{E0041}\u{E007F}", "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
        "👩\u{200D}💻", "a\u{200D}b", "\u{200D}", "👨\u{200D}👩\u{200D}👧\u{200D}👦", "ad\u{200B}min@example.com",
        "\u{202E}moc.live@eve", "Eve\u{1B}[2J\u{202E}", "\u{1B}]0;title\u{7}", "A\u{9B}31m\u{9D}x",
        "😀", "𝔸𝕓", "\u{10FFFF}", "\u{FFFD}", "\u{E000}", "\u{FFFF}", "e\u{301}", "é", "名前", "山田 太郎",
        "ع\u{64B}ربي", "=HYPERLINK(\"x\")", "zoë,\"quoted\"@example.com", String(repeating: "long", count: 300),
        "tab\there", "\u{0}nul", "\u{1F}us", "mixed é\u{9F}\u{A0}\u{AC}\u{AD}\u{AE}",
    ]

    /// Dates at the edges of the fast formatter and of the format style: before and after 1970 with
    /// and without fractions, leap days, the Julian switch, the first and last four-digit years, and
    /// values no server sends (infinities, NaN, Foundation's distant dates).
    static let edgeDates: [Date?] =
        [nil]
        + [
            0, -1, -0.5, 0.5, 0.999, 0.999_999, 1e-9, -1e-9, 59.999, 86_399.5, -86_400.25, 951_782_400,
            951_868_799.75, -2_203_891_200, 4_107_542_400, 1_700_000_000, 1_750_000_000.123,
            -12_219_292_801, -12_219_292_800, -12_212_553_601, -12_212_553_600, -12_212_553_599.5,
            -62_135_596_800, -62_135_596_801, 253_402_300_799, 253_402_300_799.999, 253_402_300_800, 1e12, -1e12,
            .infinity, -.infinity, .nan,
        ].map { Date(timeIntervalSince1970: $0) }
        + [
            Date.distantPast, Date.distantFuture, Date(timeIntervalSinceReferenceDate: -0.000_000_01),
            Date(timeIntervalSinceReferenceDate: 0.999_999_99),
            Date(timeIntervalSinceReferenceDate: ISO8601Text.arithmeticRange.lowerBound),
            Date(timeIntervalSinceReferenceDate: ISO8601Text.arithmeticRange.lowerBound.nextDown),
            Date(timeIntervalSinceReferenceDate: ISO8601Text.arithmeticRange.upperBound),
            Date(timeIntervalSinceReferenceDate: ISO8601Text.arithmeticRange.upperBound.nextDown),
        ]

    /// Every hostile text in every string field, every edge date in both date fields, names absent
    /// and empty, unknown roles and statuses, no roles and no teams.
    static let edgeUsers: [OrgUser] = {
        var users: [OrgUser] = []
        for (number, text) in hostileTexts.enumerated() {
            users.append(
                OrgUser(
                    id: text, username: text, firstName: text, lastName: text, status: .other(text),
                    orgRoles: [OrgRole(rawValue: text), .member], teamIds: [text, text, "t/\(number)"]))
        }
        for (number, date) in edgeDates.enumerated() {
            let other = edgeDates[(number + 7) % edgeDates.count]
            users.append(
                OrgUser(
                    id: String(repeating: "a", count: 24), username: "dates\(number)@example.com",
                    firstName: number.isMultiple(of: 2) ? nil : "", lastName: number.isMultiple(of: 3) ? "" : nil,
                    status: [.active, .pending, .invitationExpired, .invitationRejected][number % 4],
                    orgRoles: number.isMultiple(of: 5) ? [] : Set(OrgRole.known.prefix(number % 8)),
                    createdAt: date, lastAuth: other))
        }
        return users
    }()

    @Test func edgeUsersAreWrittenAsTheEncoderWroteThem() throws {
        expectSameBytes(UserJSONRenderer.render(Self.edgeUsers), try UserJSONReference.render(Self.edgeUsers))
        for user in Self.edgeUsers {
            // Not "\(user)": describing an infinite date traps in Foundation.
            let dates = [user.createdAt, user.lastAuth].map { String(describing: $0?.timeIntervalSinceReferenceDate) }
            expectSameBytes(
                UserJSONRenderer.render([user]), try UserJSONReference.render([user]),
                "\(user.username.debugDescription), \(dates)")
        }
    }

    @Test(arguments: [0, 1, 2, 255, 256, 257, 513])
    func countsAroundTheEncodersBatchesAreWrittenAsTheEncoderWroteThem(count: Int) throws {
        let users = Array(Self.randomUsers(count: count, seed: UInt64(count)))
        expectSameBytes(UserJSONRenderer.render(users), try UserJSONReference.render(users), "\(count) users")
    }

    @Test(arguments: [1, 7, 4_096])
    func randomUsersInSmallPiecesAreWrittenAsTheEncoderWroteThem(chunkSize: Int) throws {
        let users = Self.randomUsers(count: 3_000, seed: 0x5EED + UInt64(chunkSize))
        var pieces: [String] = []
        var writer = ChunkedWriter(chunkSize: chunkSize) { pieces.append($0) }
        UserJSONRenderer.write(users, to: &writer)
        writer.flush()
        // A scalar split between two pieces would have become two replacement characters.
        expectSameBytes(pieces.joined(), try UserJSONReference.render(users), "chunks of \(chunkSize)")
    }

    @Test func outputParsesBackToTheServersValues() throws {
        typealias Record = UserJSONReference.Record
        let users = Self.edgeUsers + Self.randomUsers(count: 500, seed: 42)
        let records = try JSONDecoder().decode([Record].self, from: Data(UserJSONRenderer.render(users).utf8))
        #expect(records.count == users.count)
        for (record, user) in zip(records, users) {
            let expected = Record(user)
            // Compared as UTF-8: String's == would pass a writer that normalized the text.
            #expect(utf8(record) == utf8(expected), "\(user.username.debugDescription)")
        }
        #expect(try JSONDecoder().decode([Record].self, from: Data(UserJSONRenderer.render([]).utf8)).isEmpty)

        func utf8(_ record: Record) -> [[UInt8]?] {
            ([
                record.id, record.username, record.firstName, record.lastName, record.status, record.lastAuth,
                record.createdAt,
            ] + record.orgRoles + ["|"] + record.teamIds).map { $0.map { Array($0.utf8) } }
        }
    }

    @Test func noTerminalControlReachesTheOutput() {
        let text = UserJSONRenderer.render(Self.edgeUsers)
        for scalar in text.unicodeScalars {
            // Layout newlines aside, the only raw control is DEL, which the encoder never escaped.
            #expect(
                !SafeText.isUnsafe(scalar) || scalar == "\n" || scalar == "\u{7F}",
                "U+\(String(scalar.value, radix: 16))")
            #expect(scalar != "\u{200D}")
        }
    }

    @Test func theComparisonSeesTextThatOnlyLooksEqual() {
        withKnownIssue { expectSameBytes("caf\u{E9}", "cafe\u{301}") }
        withKnownIssue { expectSameBytes("[\n]\n", "[\n]") }
    }

    @Test func datesMatchTheFormatStyle() {
        for date in Self.edgeDates.compactMap({ $0 }) {
            expectSameBytes(
                ISO8601Text.string(date), date.formatted(.iso8601), "\(date.timeIntervalSinceReferenceDate)")
        }
        var random = SeededGenerator(seed: 1_583)
        let range = ISO8601Text.arithmeticRange
        for _ in 0..<20_000 {
            let whole = TimeInterval(Int.random(in: Int(range.lowerBound)..<Int(range.upperBound), using: &random))
            let fraction = Bool.random(using: &random) ? 0 : Double.random(in: 0..<1, using: &random)
            let date = Date(timeIntervalSinceReferenceDate: whole + fraction)
            expectSameBytes(ISO8601Text.string(date), date.formatted(.iso8601), "\(whole) + \(fraction)")
        }
        // Every day of years around the turns of centuries and eras, and of 1970.
        for year in [1583, 1599, 1600, 1700, 1899, 1900, 1969, 1970, 1999, 2000, 2024, 2100, 9999] {
            let start = Self.secondsSince1970(year: year)
            for day in 0..<366 {
                let seconds = start + day * 86_400 + Int.random(in: 0..<86_400, using: &random)
                guard seconds < 253_402_300_800 else { break }
                let date = Date(timeIntervalSince1970: TimeInterval(seconds))
                expectSameBytes(ISO8601Text.string(date), date.formatted(.iso8601), "\(seconds)")
            }
        }
    }

    @Test func csvDatesMatchTheFormatStyle() {
        expectSameBytes(UserCSVRenderer.render(Self.edgeUsers), LegacyRenderers.csv(Self.edgeUsers))
    }

    /// 00:00:00 UTC of January 1st of a year between 1583 and 9999 (Gregorian).
    static func secondsSince1970(year: Int) -> Int {
        let leapDays = { (y: Int) in y / 4 - y / 100 + y / 400 }
        let days = (year - 1970) * 365 + leapDays(year - 1) - leapDays(1969)
        return days * 86_400
    }

    /// `count` users drawn from hostile and plain text, known and unknown roles and statuses, names
    /// present, empty or absent, and dates anywhere (fractions included).
    static func randomUsers(count: Int, seed: UInt64) -> [OrgUser] {
        var random = SeededGenerator(seed: seed)
        let pieces = hostileTexts + ["ada", "@example.com", ".", "Lovelace", "0123456789abcdef", " ", "-"]
        func text(_ random: inout SeededGenerator) -> String {
            (0..<Int.random(in: 0...4, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }
                .joined()
        }
        func date(_ random: inout SeededGenerator) -> Date? {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: nil
            case 1: edgeDates.randomElement(using: &random) ?? nil
            case 2: Date(timeIntervalSince1970: Double.random(in: -2e11...3e11, using: &random))
            default: Date(timeIntervalSince1970: Double(Int.random(in: 0..<2_000_000_000, using: &random)))
            }
        }
        let statuses: [MembershipStatus] = [.active, .pending, .invitationExpired, .invitationRejected, .other("X")]
        return (0..<count).map { _ in
            let roleCount = Int.random(in: 0...3, using: &random)
            var roles = Set((0..<roleCount).compactMap { _ in OrgRole.known.randomElement(using: &random) })
            if Int.random(in: 0..<10, using: &random) == 0 { roles.insert(OrgRole(rawValue: text(&random))) }
            let optionalText = { (random: inout SeededGenerator) -> String? in
                Bool.random(using: &random) ? nil : text(&random)
            }
            return OrgUser(
                id: text(&random), username: text(&random), firstName: optionalText(&random),
                lastName: optionalText(&random),
                status: Int.random(in: 0..<8, using: &random) == 0
                    ? .other(text(&random)) : statuses.randomElement(using: &random) ?? .active,
                orgRoles: roles, teamIds: (0..<Int.random(in: 0...3, using: &random)).map { _ in text(&random) },
                createdAt: date(&random), lastAuth: date(&random))
        }
    }
}
