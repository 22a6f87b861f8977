import Foundation
import RoleEditor
import Testing

@testable import TerminalUI

/// What a k9s or lazygit user expects of the list: a sort that shows itself and reverses, counts
/// that say what they count, help that scrolls at any size, the status kept when narrow, the console's
/// role names in the review, copying an email, and the mouse.
@Suite struct ScreenConventionsTests {
    private func command(_ key: Key, _ state: EditorState) -> KeyCommand { KeyMap.command(for: key, in: state) }

    private func apply(_ key: Key, to state: inout EditorState) {
        guard case .action(let action) = command(key, state) else {
            Issue.record("\(key.name) sends no action")
            return
        }
        Fixtures.apply([action], to: &state)
    }

    private func emails(_ state: EditorState) -> [String] {
        (0..<state.list.count).map { state.list.user(atRow: $0).username }
    }

    // MARK: Sort

    @Test func capitalOReversesTheSortAndTheSelectedUserStaysSelected() {
        var state = Fixtures.loaded()
        // The cursor was never moved: the user on the first row is the selected one all the same.
        let selected = state.list.cursorUser?.username
        let ascending = emails(state)
        #expect(command(.character("O"), state) == .action(.reverseSort))
        apply(.character("O"), to: &state)
        #expect(emails(state) == ascending.reversed())
        #expect(state.list.cursorUser?.username == selected)
        #expect(state.list.cursor == state.list.count - 1)
        let frame = Fixtures.render(state, 80, 24).lines
        #expect(frame[0].contains("sort: email ▼"))
        #expect(frame[1].contains("EMAIL ▼"))
        // Back the natural way round.
        apply(.character("O"), to: &state)
        #expect(emails(state) == ascending)
        #expect(state.list.cursorUser?.username == selected)
    }

    @Test func cyclingTheSortMovesTheArrowAndKeepsTheSelection() {
        var state = Fixtures.loaded()
        Fixtures.apply([.moveCursor(2)], to: &state)
        let selected = state.list.cursorUser?.username
        apply(.character("o"), to: &state)
        #expect(state.list.sort == .name)
        #expect(state.list.cursorUser?.username == selected)
        var frame = Fixtures.render(state, 80, 24).lines
        #expect(frame[1].contains("NAME/STATUS ▲"))
        #expect(!frame[1].contains("EMAIL ▲"))
        apply(.character("o"), to: &state)
        apply(.character("O"), to: &state)
        #expect(state.list.sort == .lastLogin && state.list.isSortReversed)
        #expect(state.list.cursorUser?.username == selected)
        frame = Fixtures.render(state, 120, 24).lines
        #expect(frame[1].contains("LAST LOGIN ▼"))
        // Reversed by last login: the least recent login first (never, then the oldest).
        #expect(state.list.user(atRow: state.list.count - 1).username == "ada@example.com")
        apply(.character("o"), to: &state)
        #expect(state.list.sort == .roles && !state.list.isSortReversed)
        #expect(Fixtures.render(state, 80, 24).lines[1].contains("ROLES ▲"))
    }

    // MARK: Counts

    @Test(arguments: [40, 80, 160]) func theHeaderCountsInTheSameWordsAtEveryWidth(width: Int) {
        var state = Fixtures.loaded(columns: width)
        #expect(Fixtures.render(state, width, 24).lines[0].contains(" 6 users "))
        Fixtures.apply([.filterBegin, .filterInput("yamada"), .filterCommit], to: &state)
        #expect(Fixtures.render(state, width, 24).lines[0].contains(" 1 shown · 6 users"))
        let loading = Scenarios.loading(columns: width, rows: 24)
        #expect(Fixtures.render(loading, width, 24).lines[0].contains(" loading 4 of 10"))
    }

    // MARK: Help

    @Test(arguments: [(40, 12), (80, 24), (60, 10)]) func theHelpScrollsWhenItDoesNotFit(
        columns: Int, rows: Int
    ) throws {
        var state = Fixtures.loaded(columns: columns, rows: rows)
        Fixtures.apply([.help], to: &state)
        let last = HelpOverlay.maximumTop(width: columns, height: rows)
        #expect(last > 0)
        var frame = Fixtures.render(state, columns, rows).lines
        #expect(frame.contains { $0.contains(HelpOverlay.moreBelow) })
        #expect(!frame.contains { $0.contains(HelpOverlay.moreAbove) })
        #expect(frame.contains { $0.contains("scroll") && $0.contains("any other key closes") })

        var seen: [String] = frame
        for _ in 0..<last {
            #expect(command(.character("j"), state) == .action(.scrollHelp(to: state.helpTop + 1)))
            apply(.character("j"), to: &state)
            seen += Fixtures.render(state, columns, rows).lines
        }
        // j at the bottom stays there.
        #expect(command(.character("j"), state) == .action(.scrollHelp(to: last)))
        frame = Fixtures.render(state, columns, rows).lines
        #expect(frame.contains { $0.contains(HelpOverlay.moreAbove) })
        #expect(!frame.contains { $0.contains(HelpOverlay.moreBelow) })
        // Every line of the help was on screen, whole: no entry is cut at this width.
        for line in HelpOverlay.lines(width: min(columns, HelpOverlay.maximumWidth + 4) - 4) where !line.isEmpty {
            #expect(seen.contains { $0.contains(line) }, "not shown at \(columns)×\(rows): \(line)")
        }
        #expect(!seen.contains { $0.contains("…") })
        for role in OrgRole.known {
            let legend = RoleText.abbreviation(role) + " " + RoleText.shortName(role)
            #expect(seen.contains { $0.contains(legend) }, "legend lacks \(legend)")
        }

        apply(.character("g"), to: &state)
        #expect(state.helpTop == 0)
        apply(.character("G"), to: &state)
        #expect(state.helpTop == last)
        apply(.pageUp, to: &state)
        #expect(state.helpTop == max(0, last - (HelpOverlay.visibleLineCount(height: rows) - 1)))
        apply(.character("k"), to: &state)
        #expect(state.showHelp)
        // Any other key closes it, and is not acted on.
        let cursor = state.list.cursor
        apply(.character("x"), to: &state)
        #expect(!state.showHelp)
        #expect(state.list.cursor == cursor)
        // Opened again, it starts at the top.
        Fixtures.apply([.help], to: &state)
        #expect(state.helpTop == 0)
    }

    // MARK: Status at 40 columns

    @Test func anInvitationsStatusShowsAt40Columns() throws {
        let frame = Fixtures.render(Fixtures.loaded(columns: 40, rows: 12), 40, 12).lines
        let invitee = try #require(frame.first { $0.contains("invitee@") })
        #expect(invitee.contains("PENDING"))
        #expect(frame[1].contains("EMAIL/STATUS"))
        // Rows without a status keep the whole width for the email.
        #expect(frame.contains { $0.contains("taro.yamada@example.jp") })
    }

    // MARK: Names

    @Test func theReviewNamesRolesAsTheConsoleDoes() {
        let frame = Fixtures.render(Scenarios.reviewWithConflict(columns: 120, rows: 40), 120, 40).text
        #expect(frame.contains("+Member"))
        #expect(frame.contains("server: Billing Viewer, Read Only"))
        #expect(!frame.contains("ORG_"))
        let refusal = Fixtures.render(Scenarios.reviewWithRefusal(columns: 120, rows: 40), 120, 40).text
        #expect(refusal.contains("+Read Only"))
        #expect(!refusal.contains("ORG_"))
    }

    @Test func theSummaryKeepsTheAPINamesForSetAndGivesTheConsolesToTheScreen() {
        let edit = PendingEdit(
            userId: Fixtures.id(2), username: "taro.yamada@example.jp", status: .active, base: [.member],
            target: [.member, .billingReadOnly])
        let summary = ReviewSummary(edits: [edit, edit], users: UserStore())
        #expect(summary.lines.first == "2 user(s): +ORG_BILLING_READ_ONLY × 2")
        #expect(summary.lines(naming: .console).first == "2 user(s): +Billing Viewer × 2")
        #expect(RoleText.diffLines(edit) == ["+ORG_BILLING_READ_ONLY"])
    }

    // MARK: Clipboard

    @Test func copyingSendsOSC52WithTheCleanedEmailOnly() {
        #expect(Clipboard.sequence(for: "ana@example.com") == "\u{1B}]52;c;YW5hQGV4YW1wbGUuY29t\u{07}")
        // The fixtures' hostile address: its escape and bell do not reach the clipboard.
        #expect(Clipboard.cleaned("eve\u{1B}]0;pwned\u{07}@example.com") == "eve]0;pwned@example.com")
        #expect(Clipboard.cleaned("ana\u{202E}@example.com\n") == "ana@example.com")
        #expect(Clipboard.cleaned("josé@exámple.jp") == "josé@exámple.jp")
    }

    @Test func cCopiesInTheListAndTheStatusLineSaysWhat() {
        var state = Fixtures.loaded()
        #expect(command(.character("c"), state) == .copyEmail)
        Fixtures.apply([.copiedToClipboard("ada@example.com")], to: &state)
        #expect(state.statusLine == "copied ada@example.com to the clipboard")
        #expect(Fixtures.render(state, 80, 24).lines[23].contains("copied ada@example.com to the clipboard"))
        Fixtures.apply([.activate], to: &state)
        #expect(command(.character("c"), state) == .ignored)
    }

    // MARK: Mouse

    @Test func aClickSelectsTheRowUnderItAndTheWheelMoves() {
        var state = Fixtures.loaded()
        let body = FrameLayout(width: 80, height: 24).body
        let click = MouseEvent(.click, row: body.y + 3, column: 10)
        #expect(command(.mouse(click), state) == .action(.moveCursor(3)))
        apply(.mouse(click), to: &state)
        #expect(state.list.cursor == 3)
        // Below the last user, on the header or the status line: nothing.
        #expect(command(.mouse(MouseEvent(.click, row: body.y + 10, column: 10)), state) == .ignored)
        #expect(command(.mouse(MouseEvent(.click, row: 0, column: 10)), state) == .ignored)
        #expect(command(.mouse(MouseEvent(.click, row: 23, column: 10)), state) == .ignored)
        #expect(command(.mouse(MouseEvent(.wheelDown, row: 5, column: 0)), state) == .action(.moveCursor(3)))
        #expect(command(.mouse(MouseEvent(.wheelUp, row: 5, column: 0)), state) == .action(.moveCursor(-3)))
        // Scrolled down, a click counts from the first row drawn.
        var long = Fixtures.loaded(
            (0..<60).map { OrgUser(id: Fixtures.id($0 + 10), username: "user\($0)@example.com", orgRoles: [.member]) })
        Fixtures.apply([.bottom], to: &long)
        let top = long.list.scrollTop
        #expect(top > 0)
        apply(.mouse(MouseEvent(.click, row: body.y, column: 10)), to: &long)
        #expect(long.list.cursor == top)
    }

    @Test func theWheelScrollsTheHelpAndAClickClosesIt() {
        var state = Fixtures.loaded()
        Fixtures.apply([.help], to: &state)
        #expect(command(.mouse(MouseEvent(.wheelDown, row: 5, column: 5)), state) == .action(.scrollHelp(to: 3)))
        #expect(command(.mouse(MouseEvent(.wheelUp, row: 5, column: 5)), state) == .action(.scrollHelp(to: 0)))
        #expect(command(.mouse(MouseEvent(.click, row: 5, column: 5)), state) == .action(.help))
        // Mouse reports never become filter text.
        var typing = Fixtures.loaded()
        Fixtures.apply([.filterBegin], to: &typing)
        #expect(command(.mouse(MouseEvent(.click, row: 5, column: 5)), typing) == .ignored)
    }

    @Test func mouseReportsDecodeAsMouseKeys() {
        let event = MouseEvent(.click, row: 4, column: 7)
        #expect(KeyDecoder().decode(.mouse(event)) { nil } == [.mouse(event)])
    }
}
