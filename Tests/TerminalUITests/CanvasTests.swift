import Testing

@testable import TerminalUI

@Suite struct CanvasTests {
    init() { TerminalLocale.prepare() }

    @Test func drawTruncatesAtMaxWidth() {
        var canvas = Canvas(width: 20, height: 1)
        let used = canvas.draw("taro.yamada@example.jp", x: 0, y: 0, maxWidth: 10)
        #expect(used == 10)
        #expect(canvas.lines == ["taro.yama…"])
    }

    @Test func drawClipsAtTheRightEdge() {
        var canvas = Canvas(width: 8, height: 1)
        canvas.draw("abcdefghijkl", x: 3, y: 0)
        #expect(canvas.lines == ["   abcd…"])
    }

    @Test func wideGlyphNeverStraddlesTheEdge() {
        var canvas = Canvas(width: 5, height: 1)
        canvas.draw("ab山田", x: 0, y: 0, maxWidth: 5)
        // "ab山" is 4 cells; 田 would need cells 4-5: cut with the ellipsis instead.
        #expect(canvas.lines == ["ab山…"])
        #expect(canvas[2, 0].width == 2)
        #expect(canvas[3, 0].width == 0)
    }

    @Test func drawingOverHalfAWideGlyphBlanksTheOtherHalf() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.draw("山田", x: 0, y: 0)
        canvas.draw("x", x: 1, y: 0)  // right half of 山
        #expect(canvas.lines == [" x田"])
        canvas.draw("y", x: 2, y: 0)  // left half of 田
        #expect(canvas.lines == [" xy"])
        #expect(canvas[3, 0] == Cell.blank)
    }

    @Test func wideOverWideKeepsCellsConsistent() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.draw("ab山", x: 0, y: 0)
        canvas.draw("田", x: 1, y: 0)
        #expect(canvas.lines == ["a田"])
        #expect(canvas[3, 0].text == " ")
        #expect(canvas[3, 0].width == 1)
    }

    @Test func clipRectangleLimitsDrawing() {
        var canvas = Canvas(width: 10, height: 2)
        canvas.draw("hello world", x: 0, y: 0, clip: Rect(x: 2, y: 0, width: 4, height: 1))
        canvas.draw("outside", x: 0, y: 1, clip: Rect(x: 0, y: 0, width: 10, height: 1))
        #expect(canvas.lines == ["  llo…", ""])
    }

    @Test func spansCutTheSpanThatCrossesTheEdge() {
        var canvas = Canvas(width: 12, height: 1)
        canvas.draw([Span("status: "), Span("400 VALIDATION_ERROR", Style(.negative))], x: 0, y: 0)
        #expect(canvas.lines == ["status: 400…"])
        #expect(canvas[8, 0].style.color == .negative)
        #expect(canvas[0, 0].style.color == .normal)
    }

    @Test func highlightAddsAttributesKeepingText() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.draw("abc", x: 0, y: 0, style: Style(.accent))
        canvas.highlight(Rect(x: 1, y: 0, width: 2, height: 1), with: [.reverse])
        #expect(canvas.lines == ["abc"])
        #expect(canvas[1, 0].style == Style(.accent, [.reverse]))
        #expect(canvas[0, 0].style == Style(.accent))
    }

    @Test func boxDrawsOutlineAndTitle() {
        var canvas = Canvas(width: 12, height: 3)
        canvas.box(Rect(x: 0, y: 0, width: 12, height: 3), title: "Keys")
        #expect(canvas.lines == ["┌ Keys ────┐", "│          │", "└──────────┘"])
    }

    @Test func fillWithWideCharacterPadsTheOddCell() {
        var canvas = Canvas(width: 5, height: 1)
        canvas.fill(Rect(x: 0, y: 0, width: 5, height: 1), with: "山")
        #expect(canvas.lines == ["山山"])
        #expect(canvas[4, 0].text == " ")
    }
}
