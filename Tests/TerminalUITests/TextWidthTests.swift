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
