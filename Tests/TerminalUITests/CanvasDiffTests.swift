import RoleEditor
import Testing

@testable import TerminalUI

@Suite struct CanvasDiffTests {
    init() { TerminalLocale.prepare() }

    @Test func firstFrameWritesEveryCell() {
        var canvas = Canvas(width: 4, height: 2)
        canvas.draw("ab", x: 0, y: 0)
        let runs = canvas.changes(from: nil)
        #expect(runs.reduce(0) { $0 + $1.width } == 8)
    }

    @Test func identicalFramesWriteNothing() {
        let state = Fixtures.loaded()
        let a = Fixtures.render(state, 80, 24)
        let b = Fixtures.render(state, 80, 24)
        #expect(b.changes(from: a).isEmpty)
    }

    @Test func oneChangedCellIsOneRunOfOneCell() {
        var before = Canvas(width: 10, height: 3)
        before.draw("hello", x: 0, y: 1)
        var after = before
        after.draw("j", x: 0, y: 1)
        #expect(after.changes(from: before) == [CellRun(x: 0, y: 1, style: .plain, text: "j", width: 1)])
    }

    @Test func runsSplitWhereTheStyleChanges() {
        let before = Canvas(width: 6, height: 1)
        var after = before
        after.draw("ab", x: 0, y: 0, style: Style(.accent))
        after.draw("cd", x: 2, y: 0, style: Style(.negative))
        let runs = after.changes(from: before)
        #expect(runs.map(\.text) == ["ab", "cd"])
        #expect(runs.map(\.x) == [0, 2])
    }

    @Test func wideGlyphIsWrittenOnceWithItsWidth() {
        let before = Canvas(width: 6, height: 1)
        var after = before
        after.draw("山", x: 2, y: 0)
        #expect(after.changes(from: before) == [CellRun(x: 2, y: 0, style: .plain, text: "山", width: 2)])
    }

    @Test func resizedFrameIsWrittenWhole() {
        let before = Canvas(width: 4, height: 2)
        let after = Canvas(width: 5, height: 2)
        #expect(after.changes(from: before).reduce(0) { $0 + $1.width } == 10)
    }

    /// Moving the cursor one row rewrites only the two email cells and the two cursor marks: bytes on
    /// the wire stay proportional to the email column, not to the screen.
    @Test func cursorMoveChangesOnlyTwoShortRuns() {
        var state = Fixtures.loaded(columns: 120, rows: 40)
        let before = Fixtures.render(state, 120, 40)
        Fixtures.apply([.moveCursor(1)], to: &state)
        let after = Fixtures.render(state, 120, 40)
        let runs = after.changes(from: before)
        let rows = Set(runs.map(\.y))
        #expect(rows == [2, 3])
        let columns = UserColumns(width: 120, sort: .email)
        #expect(runs.reduce(0) { $0 + $1.width } <= 2 * (columns.email.width + 1))
    }
}
