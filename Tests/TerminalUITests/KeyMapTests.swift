import RoleEditor
import Testing

@testable import TerminalUI

/// The key table of DESIGN.md, pane by pane: the end-to-end tests drive exactly these keys.
@Suite struct KeyMapTests {
    func command(_ key: Key, _ state: EditorState) -> KeyCommand { KeyMap.command(for: key, in: state) }

    @Test func movementKeysInTheList() {
        let state = Fixtures.loaded()
        #expect(command(.character("j"), state) == .action(.moveCursor(1)))
        #expect(command(.down, state) == .action(.moveCursor(1)))
        #expect(command(.character("k"), state) == .action(.moveCursor(-1)))
        #expect(command(.up, state) == .action(.moveCursor(-1)))
        #expect(command(.character("g"), state) == .action(.top))
        #expect(command(.home, state) == .action(.top))
        #expect(command(.character("G"), state) == .action(.bottom))
        #expect(command(.end, state) == .action(.bottom))
        #expect(command(.pageDown, state) == .action(.pageDown))
        #expect(command(.control("f"), state) == .action(.pageDown))
        #expect(command(.pageUp, state) == .action(.pageUp))
        #expect(command(.control("b"), state) == .action(.pageUp))
    }

    @Test func listKeys() {
        let state = Fixtures.loaded()
        #expect(command(.character("/"), state) == .action(.filterBegin))
        #expect(command(.enter, state) == .action(.activate))
        #expect(command(.character(" "), state) == .action(.toggleMark))
        #expect(command(.character("s"), state) == .action(.openReview))
        #expect(command(.character("u"), state) == .action(.undo))
        #expect(command(.character("r"), state) == .action(.reload))
        #expect(command(.escape, state) == .action(.back))
        #expect(command(.character("?"), state) == .action(.help))
        #expect(command(.character("q"), state) == .action(.quit))
        #expect(command(.control("c"), state) == .action(.quit))
        #expect(command(.control("l"), state) == .redraw)
        #expect(command(.control("z"), state) == .suspend)
        #expect(command(.character("o"), state) == .action(.cycleSort))
        #expect(command(.character("a"), state) == .action(.markAllShown))
        #expect(command(.character("y"), state) == .ignored)
    }

    @Test func filterLineTakesPrintableKeys() {
        var state = Fixtures.loaded()
        Fixtures.apply([.filterBegin], to: &state)
        #expect(command(.character("j"), state) == .action(.filterInput("j")))
        #expect(command(.character("q"), state) == .action(.filterInput("q")))
        #expect(command(.character("山"), state) == .action(.filterInput("山")))
        #expect(command(.backspace, state) == .action(.filterBackspace))
        #expect(command(.enter, state) == .action(.filterCommit))
        #expect(command(.escape, state) == .action(.filterCancel))
        #expect(command(.down, state) == .action(.moveCursor(1)))
        // A dropped escape sequence never becomes filter text.
        #expect(command(.unrecognized, state) == .ignored)
        #expect(command(.control("c"), state) == .action(.quit))
    }

    @Test func checklistKeys() {
        var state = Fixtures.loaded()
        Fixtures.apply([.activate], to: &state)
        #expect(state.pane == .checklist)
        #expect(command(.character(" "), state) == .action(.toggleRole))
        #expect(command(.enter, state) == .action(.activate))
        #expect(command(.escape, state) == .action(.back))
        #expect(command(.character("s"), state) == .action(.openReview))
        #expect(command(.character("u"), state) == .action(.undo))
        #expect(command(.character("j"), state) == .action(.moveCursor(1)))
    }

    @Test func reviewKeys() {
        var state = Fixtures.loaded()
        Fixtures.apply([.activate, .moveCursor(1), .toggleRole, .openReview], to: &state)
        #expect(state.pane == .review)
        #expect(command(.character("y"), state) == .action(.confirmApply))
        #expect(command(.enter, state) == .action(.confirmApply))
        #expect(command(.character("n"), state) == .action(.back))
        #expect(command(.escape, state) == .action(.back))
        #expect(command(.character("R"), state) == .action(.retryFailed))
        #expect(command(.character("b"), state) == .action(.rebaseConflicts))
        // Right after an apply the run is here: the journal opens from the review too.
        #expect(command(.character("J"), state) == .action(.openJournal))
    }

    @Test func journalOpensFromTheListAndTheChecklistButNotFromItself() {
        var state = Fixtures.loaded()
        #expect(command(.character("J"), state) == .action(.openJournal))
        Fixtures.apply([.activate], to: &state)
        #expect(command(.character("J"), state) == .action(.openJournal))
        Fixtures.apply([.openJournal], to: &state)
        #expect(state.pane == .journal)
        #expect(command(.character("J"), state) == .ignored)
        // Typing a capital J into the filter stays text.
        var filtering = Fixtures.loaded()
        Fixtures.apply([.filterBegin], to: &filtering)
        #expect(command(.character("J"), filtering) == .action(.filterInput("J")))
    }

    @Test func promptTakesYesAndNo() {
        var state = Fixtures.loaded()
        Fixtures.apply([.activate, .toggleRole, .back, .quit], to: &state)
        #expect(state.prompt != nil)
        #expect(command(.character("y"), state) == .action(.answerPrompt(true)))
        #expect(command(.enter, state) == .action(.answerPrompt(true)))
        #expect(command(.character("n"), state) == .action(.answerPrompt(false)))
        #expect(command(.escape, state) == .action(.answerPrompt(false)))
        #expect(command(.character("Y"), state) == .action(.answerPrompt(true)))
        #expect(command(.character("N"), state) == .action(.answerPrompt(false)))
        #expect(command(.character("j"), state) == .ignored)
        #expect(command(.control("c"), state) == .action(.quit))
        #expect(command(.control("z"), state) == .suspend)
    }

    @Test func helpClosesOnAnyKey() {
        var state = Fixtures.loaded()
        Fixtures.apply([.resize(rows: 200, cols: 200), .help], to: &state)
        // The help fits: nothing to scroll, so the motion keys close it too.
        #expect(HelpOverlay.maximumTop(width: 200, height: 200) == 0)
        #expect(command(.character("j"), state) == .action(.help))
        #expect(command(.character("x"), state) == .action(.help))
        #expect(command(.escape, state) == .action(.help))
        #expect(command(.control("l"), state) == .redraw)
        #expect(command(.resize, state) == .ignored)
    }

    @Test func pickerAndJournalTakeEnterAndMotionOnly() {
        let picker = Scenarios.orgPicker(columns: 80, rows: 24)
        #expect(picker.pane == .orgPicker)
        #expect(command(.enter, picker) == .action(.activate))
        #expect(command(.character("j"), picker) == .action(.moveCursor(1)))
        #expect(command(.character("r"), picker) == .action(.reload))
        #expect(command(.character("s"), picker) == .ignored)
        #expect(command(.character("J"), picker) == .ignored)
        var journal = Fixtures.loaded()
        Fixtures.apply([.openJournal], to: &journal)
        #expect(command(.enter, journal) == .action(.activate))
        #expect(command(.escape, journal) == .action(.back))
        #expect(command(.character("u"), journal) == .ignored)
    }
}
