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

    /// The screen row of the first line of `state`'s frame containing `text`.
    private func screenRow(of text: String, _ state: EditorState) -> Int? {
        Fixtures.render(state, state.terminalCols, state.terminalRows).lines.firstIndex { $0.contains(text) }
    }

    @Test func aClickMovesTheChecklistToARoleAndAClickOnTheSelectedRoleTogglesIt() throws {
        var state = Fixtures.loaded()
        Fixtures.apply([.activate], to: &state)
        #expect(state.pane == .checklist)
        // Ada's checklist: her details above the roles, the result below them.
        let index = try #require(OrgRole.known.firstIndex(of: .billingAdmin))
        let y = try #require(screenRow(of: "] " + RoleText.shortName(.billingAdmin), state))
        let click = MouseEvent(.click, row: y, column: 8)
        #expect(command(.mouse(click), state) == .action(.moveCursor(index - (state.checklist?.cursor ?? 0))))
        apply(.mouse(click), to: &state)
        #expect(state.checklist?.cursor == index)
        #expect(state.checklistRows[index].edited == .off)
        // The role under the cursor: the click is Space.
        #expect(command(.mouse(click), state) == .action(.toggleRole))
        apply(.mouse(click), to: &state)
        #expect(state.checklistRows[index].edited == .on)
        #expect(state.checklist?.cursor == index)
        // The first and last roles are reached as well; the details, the result and the header are not roles.
        let first = try #require(screenRow(of: "] " + RoleText.shortName(OrgRole.known[0]), state))
        apply(.mouse(MouseEvent(.click, row: first, column: 8)), to: &state)
        #expect(state.checklist?.cursor == 0)
        let last = try #require(screenRow(of: "] " + RoleText.shortName(OrgRole.known[OrgRole.known.count - 1]), state))
        apply(.mouse(MouseEvent(.click, row: last, column: 8)), to: &state)
        #expect(state.checklist?.cursor == OrgRole.known.count - 1)
        for row in [0, 1, 2, first - 1, last + 1, last + 2, try #require(screenRow(of: "Result", state))] {
            #expect(command(.mouse(MouseEvent(.click, row: row, column: 8)), state) == .ignored, "row \(row)")
        }
    }

    @Test func aClickSelectsAnEditOfTheReviewAndARunOfTheJournal() throws {
        var state = Fixtures.loaded(columns: 100, rows: 30)
        // Read Only for every user: an edit each but for Zoë and the invitee, who hold it.
        Fixtures.apply([.markAllShown, .activate], to: &state)
        let readOnly = try #require(OrgRole.known.firstIndex(of: .readOnly))
        Fixtures.apply([.moveCursor(readOnly), .toggleRole, .openReview], to: &state)
        #expect(state.pane == .review)
        #expect(state.reviewCount == 4)
        let second = try #require(state.reviewItems(in: 1..<2).first)
        let y = try #require(screenRow(of: SafeText.sanitized(second.edit.username), state))
        #expect(command(.mouse(MouseEvent(.click, row: y, column: 4)), state) == .action(.moveCursor(1)))
        // The call line under an edit belongs to that edit.
        #expect(command(.mouse(MouseEvent(.click, row: y + 1, column: 4)), state) == .action(.moveCursor(1)))
        apply(.mouse(MouseEvent(.click, row: y, column: 4)), to: &state)
        #expect(state.review.cursor == 1)
        #expect(command(.mouse(MouseEvent(.click, row: y, column: 4)), state) == .ignored)
        #expect(command(.mouse(MouseEvent(.click, row: 0, column: 4)), state) == .ignored)

        var journal = Fixtures.loaded(columns: 100, rows: 30)
        let call = RoleWriteMethod.putRoles.call(orgId: Fixtures.orgId, userId: Fixtures.id(1))
        let entries = (0..<3).map { n in
            JournalEntry(
                time: Fixtures.ago(days: Double(n + 1)), batch: "run-\(n)", orgId: Fixtures.orgId,
                userId: Fixtures.id(1), username: "user\(n)@example.com", before: [.member], after: [.readOnly],
                call: call, outcome: .applied)
        }
        Fixtures.apply([.openJournal, .journalLoaded(.success(entries))], to: &journal)
        #expect(journal.journal.batches.count == 3)
        let lastRun = try #require(screenRow(of: journal.journal.batches[2].entries[0].username, journal))
        #expect(command(.mouse(MouseEvent(.click, row: lastRun, column: 4)), journal) == .action(.moveCursor(2)))
        apply(.mouse(MouseEvent(.click, row: lastRun, column: 4)), to: &journal)
        #expect(journal.journal.cursor == 2)
        #expect(command(.mouse(MouseEvent(.click, row: lastRun + 1, column: 4)), journal) == .ignored)
        // A run opened whole lists its writes, not runs: a click there selects nothing.
        Fixtures.apply([.activate], to: &journal)
        #expect(command(.mouse(MouseEvent(.click, row: lastRun, column: 4)), journal) == .ignored)
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
