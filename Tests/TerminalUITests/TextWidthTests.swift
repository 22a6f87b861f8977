import Testing

@testable import TerminalUI

@Suite struct TextWidthTests {
    init() { TerminalLocale.prepare() }

    @Test func asciiIsOneCellEach() {
        #expect(TextWidth.width("ada@example.com") == 15)
    }

    @Test func cjkAndEmojiAreTwoCells() {
        #expect(TextWidth.width("山田") == 4)
        #expect(TextWidth.width("🚀") == 2)
        #expect(TextWidth.width("Zoë 🚀") == 6)
    }

    @Test func combiningMarksJoinTheirBase() {
        let decomposed = "e\u{301}"  // é as e + combining acute
        #expect(TextWidth.width(decomposed) == 1)
        #expect(TextWidth.glyphs(decomposed) == [Glyph(text: decomposed, width: 1)])
    }

    @Test func zalgoKeepsAtMostFourMarksPerCell() {
        let zalgo = "a" + String(repeating: "\u{301}", count: 10)
        let glyphs = TextWidth.glyphs(zalgo)
        #expect(glyphs.count == 1)
        #expect(glyphs[0].text.unicodeScalars.count == 1 + 4)
    }

    @Test func zwjSequencesCountLikeNcursesDoes() {
        // Man, ZWJ, woman: ncurses advances per spacing character, so two cells each.
        let family = "👨\u{200D}👩"
        #expect(TextWidth.glyphs(family).map(\.width) == [2, 2])
    }

    @Test func controlCharactersBecomeReplacementCells() {
        #expect(TextWidth.glyphs("a\u{1B}b").map(\.text) == ["a", "\u{FFFD}", "b"])
    }

    @Test func bidiControlsNeverRideAlongAsMarks() {
        #expect(TextWidth.glyphs("a\u{202E}b").map(\.text) == ["a", "\u{FFFD}", "b"])
        #expect(TextWidth.glyphs("\u{2067}x").map(\.text) == ["\u{FFFD}", "x"])
    }

    @Test func truncationEndsWithEllipsisAndRespectsWideGlyphs() {
        #expect(TextWidth.truncated("ada@example.com", to: 8) == "ada@exa…")
        #expect(TextWidth.truncated("ada", to: 3) == "ada")
        #expect(TextWidth.truncated("日本語", to: 4) == "日…")
        #expect(TextWidth.truncated("日本語", to: 5) == "日本…")
        #expect(TextWidth.truncated("日本語", to: 0) == "")
        #expect(TextWidth.width(TextWidth.truncated("🚀🚀🚀🚀", to: 6)) <= 6)
    }

    @Test func fittedPadsToExactWidth() {
        #expect(TextWidth.fitted("山田", to: 6) == "山田  ")
        #expect(TextWidth.fitted("ab", to: 4, alignment: .trailing) == "  ab")
        #expect(TextWidth.fitted("ab", to: 5, alignment: .center) == " ab  ")
        #expect(TextWidth.width(TextWidth.fitted("日本語テキスト", to: 7)) == 7)
    }
}

/// Wrapping keeps every character and no line is wider than asked.
@Suite struct TextWrappingTests {
    @Test func breaksAtSpacesAndIndentsContinuations() {
        let hint = "hint: this machine's IP address is not on the access list of the API key"
        let lines = TextWidth.wrapped(hint, width: 30, indent: "  ")
        #expect(lines == ["hint: this machine's IP", "  address is not on the access", "  list of the API key"])
        #expect(lines.allSatisfy { TextWidth.width($0) <= 30 })
    }

    @Test func aWordLongerThanALineIsBrokenInside() {
        let lines = TextWidth.wrapped("call: /orgs/0123456789abcdef/users", width: 12)
        // It starts where it is (a line of its own would not hold it either) and continues below.
        #expect(lines == ["call: /orgs/", "0123456789ab", "cdef/users"])
        #expect(lines.joined() == "call: /orgs/0123456789abcdef/users")
    }

    @Test func wideCharactersCountTwoCells() {
        TerminalLocale.prepare()
        let lines = TextWidth.wrapped("山田太郎 が 見る", width: 5)
        #expect(lines.allSatisfy { TextWidth.width($0) <= 5 })
        #expect(lines.joined(separator: " ").replacingOccurrences(of: " ", with: "") == "山田太郎が見る")
    }

    @Test func shortTextAndNarrowWidths() {
        #expect(TextWidth.wrapped("status: 403", width: 40) == ["status: 403"])
        #expect(TextWidth.wrapped("", width: 10) == [""])
        #expect(TextWidth.wrapped("abc def", width: 2, indent: "    ") == ["a…"])
    }
}
