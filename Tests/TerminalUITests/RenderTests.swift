import Foundation
import RoleEditor
import Testing

@testable import TerminalUI

/// Golden text of whole frames: each pane at 80×24 and 120×40, with CJK, emoji, right-to-left and
/// hostile names, an error envelope inline, an empty organization, a 40×10 and a too-small terminal;
/// the list also at 100×30 and sorted by last login, with ages counted from ``Fixtures/now``.
@Suite struct RenderTests {
    /// Each frame against its golden file (``Golden``), trailing blank rows left out.
    @Test(arguments: names) func goldenFrame(name: String) {
        let canvas = Self.frame(name)
        Golden.expect(canvas.lines.reversed().drop(while: \.isEmpty).reversed().joined(separator: "\n"), named: name)
    }

    static let names = [
        "list80x24", "list100x30", "list120x40", "list40x10", "lastLogin80x24", "lastLogin40x10", "tooSmall30x8",
        "bulkChecklist80x24", "inviteeChecklist80x24", "review80x24", "review120x40", "conflict80x24", "conflict120x40",
        "loading80x24",
        "orgPicker80x24", "draftPrompt80x24", "emptyOrg80x24", "help80x24", "quitPrompt80x24",
    ]

    /// The frame a golden test compares, by name.
    static func frame(_ name: String) -> Canvas {
        switch name {
        case "list80x24": return Fixtures.render(Scenarios.list(columns: 80, rows: 24), 80, 24)
        case "list100x30": return Fixtures.render(Scenarios.list(columns: 100, rows: 30), 100, 30)
        case "lastLogin80x24": return Fixtures.render(Scenarios.sortedByLastLogin(columns: 80, rows: 24), 80, 24)
        case "lastLogin40x10": return Fixtures.render(Scenarios.sortedByLastLogin(columns: 40, rows: 10), 40, 10)
        case "list120x40": return Fixtures.render(Scenarios.list(columns: 120, rows: 40), 120, 40)
        case "list40x10": return Fixtures.render(Scenarios.list(columns: 40, rows: 10), 40, 10)
        case "tooSmall30x8": return Fixtures.render(Scenarios.list(columns: 30, rows: 8), 30, 8)
        case "bulkChecklist80x24": return Fixtures.render(Scenarios.bulkChecklist(columns: 80, rows: 24), 80, 24)
        case "inviteeChecklist80x24":
            return Fixtures.render(Scenarios.singleChecklist(row: 2, columns: 80, rows: 24), 80, 24)
        case "review80x24": return Fixtures.render(Scenarios.reviewWithRefusal(columns: 80, rows: 24), 80, 24)
        case "review120x40": return Fixtures.render(Scenarios.reviewWithRefusal(columns: 120, rows: 40), 120, 40)
        case "conflict80x24": return Fixtures.render(Scenarios.reviewWithConflict(columns: 80, rows: 24), 80, 24)
        case "conflict120x40": return Fixtures.render(Scenarios.reviewWithConflict(columns: 120, rows: 40), 120, 40)
        case "loading80x24": return Fixtures.render(Scenarios.loading(columns: 80, rows: 24), 80, 24)
        case "orgPicker80x24": return Fixtures.render(Scenarios.orgPicker(columns: 80, rows: 24), 80, 24)
        case "draftPrompt80x24": return Fixtures.render(Scenarios.draftPrompt(columns: 80, rows: 24), 80, 24)
        case "emptyOrg80x24": return Fixtures.render(Fixtures.loaded([], columns: 80, rows: 24), 80, 24)
        case "help80x24":
            var state = Fixtures.loaded()
            Fixtures.apply([.help], to: &state)
            return Fixtures.render(state, 80, 24)
        case "quitPrompt80x24":
            var state = Scenarios.list(columns: 80, rows: 24)
            Fixtures.apply([.quit], to: &state)
            return Fixtures.render(state, 80, 24)
        default:
            fatalError("no frame named \(name)")
        }
    }

    /// No frame holds a control character, a bidi control or a line separator, whatever the server sent,
    /// and none holds U+FFFD: the canvas turns what slips through into U+FFFD as a backstop, so a
    /// replacement character means a pane drew server text without sanitizing it first.
    @Test(arguments: [(80, 24), (140, 40)]) func framesHoldNoTerminalControls(columns: Int, rows: Int) {
        let frames = HostileScenarios.frames(columns: columns, rows: rows)
        for (name, state) in frames {
            let canvas = Fixtures.render(state, columns, rows)
            let unsafe = canvas.lines.enumerated().filter { _, line in
                line.unicodeScalars.contains(where: Self.isUnsafe)
            }
            #expect(
                unsafe.isEmpty, "\(name) at \(columns)×\(rows): rows \(unsafe.map(\.offset)): \(unsafe.map(\.element))")
        }
        // The hostile text is there to be seen, made harmless: not dropped.
        let list = Fixtures.render(frames.first { $0.name == "list" }!.state, columns, rows)
        #expect(list.lines.contains { $0.contains("eve␛]0;pwned^G␛[2J") })
    }

    /// U+FFFD (the canvas's backstop acted), a C0 or C1 control, a bidi control or a line separator.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value == 0xFFFD || value < 0x20 || (0x7F..<0xA0).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value) || [0x200E, 0x200F, 0x061C, 0x2028, 0x2029].contains(value)
    }

    @Test func cursorIsReverseVideoOverTheEmail() {
        let canvas = Fixtures.render(Fixtures.loaded(), 80, 24)
        let columns = UserColumns(width: 80, sort: .email)
        let email = TextWidth.width("ada@example.com")
        // Row 2 is the cursor (ada), row 3 is not.
        #expect(canvas[UserColumns.cursorX, 2].text == "›")
        #expect(canvas[columns.email.x, 2].style.attributes.contains(.reverse))
        #expect(canvas[columns.email.x + email - 1, 2].style.attributes.contains(.reverse))
        // The padding after the email stays plain: a move rewrites the emails, not the whole column.
        #expect(!canvas[columns.email.x + email, 2].style.attributes.contains(.reverse))
        #expect(!canvas[columns.email.x, 3].style.attributes.contains(.reverse))
    }

    @Test func envelopeLinesAreNegativeAndPendingMarksWarn() {
        let review = Self.frame("review80x24")
        let errorRow = review.lines.firstIndex { $0.contains("errorCode: VALIDATION_ERROR") }!
        #expect(review[4, errorRow].style.color == .negative)
        let list = Self.frame("list80x24")
        #expect(list[UserColumns.pendingX, 7].text == "*")
        #expect(list[UserColumns.pendingX, 7].style.color == .warning)
    }

    @Test func filterBeingTypedShowsOnTheStatusLineAndNarrowsTheList() {
        var state = Fixtures.loaded()
        Fixtures.apply([.filterBegin, .filterInput("山"), .filterInput("田")], to: &state)
        let canvas = Fixtures.render(state, 80, 24)
        #expect(canvas.lines[23].hasPrefix("/山田"))
        #expect(canvas.lines[2].contains("taro.yamada@example.jp"))
        #expect(canvas.lines[3].isEmpty)
        Fixtures.apply([.filterCommit], to: &state)
        #expect(Fixtures.render(state, 80, 24).lines[0].contains("filter: 山田"))
    }

    @Test func columnsAdaptFromNarrowToWide() {
        #expect(UserColumns(width: 40, sort: .email).name == nil)
        #expect(UserColumns(width: 60, sort: .email).name != nil)
        #expect(UserColumns(width: 80, sort: .email).name != nil)
        #expect(UserColumns(width: 80, sort: .email).outcome == nil)
        #expect(UserColumns(width: 99, sort: .email).lastLogin == nil)
        #expect(UserColumns(width: 100, sort: .email).lastLogin != nil)
        let wide = UserColumns(width: 200, sort: .email)
        #expect(wide.outcome != nil)
        #expect(wide.email.width == 44)
        #expect(wide.contentEnd <= 200)
        for sort in SortOrder.allCases {
            for width in 40...240 {
                let columns = UserColumns(width: width, sort: sort)
                #expect(columns.contentEnd <= width)
                #expect(columns.roles.width >= 8)
                // Every status label fits the shared NAME/STATUS column, every age the login column.
                #expect(columns.name.map { $0.width >= 8 } ?? true)
                #expect(columns.lastLogin.map { $0.width >= LoginText.width } ?? true)
                // Sorted by last login, the ages are shown at every width.
                #expect(sort != .lastLogin || columns.lastLogin != nil)
            }
        }
    }

    /// Email first, then roles, with the name giving way; LAST LOGIN from 100 columns, taking its
    /// cells from the name and then the roles; an outcome column from 140 takes what the roles do not
    /// need.
    @Test(
        arguments: [
            (40, 26, nil, nil, 9, nil), (60, 33, 8, nil, 13, nil), (80, 34, 14, nil, 26, nil),
            (99, 44, 23, nil, 26, nil), (100, 42, 20, 5, 26, nil), (120, 44, 30, 10, 29, nil),
            (140, 44, 27, 5, 26, 30), (200, 44, 30, 10, 48, 60),
        ] as [(Int, Int, Int?, Int?, Int, Int?)])
    func columnWidths(width: Int, email: Int, name: Int?, lastLogin: Int?, roles: Int, outcome: Int?) {
        let columns = UserColumns(width: width, sort: .email)
        #expect(columns.email.width == email)
        #expect(columns.name?.width == name)
        #expect(columns.lastLogin?.width == lastLogin)
        #expect(columns.roles.width == roles)
        #expect(columns.outcome?.width == outcome)
        #expect(columns.contentEnd == width)
    }

    /// Sorted by last login, the ages show below 100 columns too, and they take their cells from the
    /// name (then the roles), never from the email's 34 at 80 columns.
    @Test(
        arguments: [
            (40, 20, nil, 9), (60, 27, 8, 13), (80, 34, 8, 26), (100, 42, 20, 26),
        ] as [(Int, Int, Int?, Int)])
    func columnWidthsSortedByLastLogin(width: Int, email: Int, name: Int?, roles: Int) {
        let columns = UserColumns(width: width, sort: .lastLogin)
        #expect(columns.email.width == email)
        #expect(columns.name?.width == name)
        #expect(columns.lastLogin?.width == LoginText.width)
        #expect(columns.roles.width == roles)
        #expect(columns.contentEnd == width)
    }

    /// A 34-cell address, the widest of nine in ten, stays whole at 80 columns with the ages shown.
    @Test func emailOfThirtyFourCellsIsWholeAt80ColumnsSortedByLastLogin() {
        let email = "konstantina.papadopoulou.12@ex.org"
        #expect(TextWidth.width(email) == 34)
        let user = OrgUser(
            id: Fixtures.id(9), username: email, firstName: "Konstantina", lastName: "Papadopoulou",
            orgRoles: [.member, .billingReadOnly], lastAuth: Fixtures.ago(days: 10))
        var state = Fixtures.loaded([user])
        Fixtures.apply([.setSort(.lastLogin)], to: &state)
        let lines = Fixtures.render(state, 80, 24).lines
        // Five cells for the ages: the title gives way to the sort's arrow.
        #expect(lines[1].contains(" LOG ▲ "))
        #expect(lines[2].contains(email + " "))
        #expect(lines[2].contains(" 1w "))
        #expect(lines[2].contains("Member, Billing Viewer"))
    }

    /// The ages follow the state's clock, not the machine's: a later tick ages every row.
    @Test func agesFollowTheClockOfTheState() {
        var state = Fixtures.loaded(columns: 120, rows: 40)
        let column = UserColumns(width: 120, sort: .email).lastLogin!
        func age(_ row: Int) -> String {
            let line = Fixtures.render(state, 120, 40)
            return (column.x..<column.x + column.width).map { line[$0, row].text }.joined()
                .trimmingCharacters(in: .whitespaces)
        }
        #expect(age(2) == "today")  // ada
        Fixtures.apply([.tick(Fixtures.now + 7 * 86_400)], to: &state)
        #expect(age(2) == "1w")
        Fixtures.apply([.tick(Fixtures.now + 365 * 86_400)], to: &state)
        #expect(age(2) == "1y")
    }

    /// The email is the user's identity: at 80 columns, the most common terminal, a typical address of
    /// 30 cells is drawn whole, even next to a long name and roles.
    @Test func emailOfThirtyCellsIsWholeAt80Columns() {
        let email = "ana.papadopoulou.9@example.org"
        #expect(TextWidth.width(email) == 30)
        let user = OrgUser(
            id: Fixtures.id(9), username: email, firstName: "Ana María", lastName: "Παπαδοπούλου",
            orgRoles: [.member, .groupCreator])
        let row = Fixtures.render(Fixtures.loaded([user]), 80, 24).lines[2]
        #expect(row.contains(email + " "))
        // The name gives way, the roles stay readable.
        #expect(row.contains("Ana María Παπ…"))
        #expect(row.contains("Member, Project Creator"))
    }

    @Test func statusSharesTheNameColumnAndIsNeverCut() {
        var invitee = Fixtures.users[5]
        invitee.firstName = "Bartholomew"
        invitee.lastName = "Featherstonehaugh"
        let canvas = Fixtures.render(Fixtures.loaded([invitee]), 80, 24)
        let columns = UserColumns(width: 80, sort: .email)
        let nameCell = columns.name!
        let shown = canvas.lines[2]
        #expect(shown.contains("PENDING"))
        let statusX = nameCell.x + nameCell.width - TextWidth.width("PENDING")
        #expect(canvas[statusX, 2].text == "P")
        #expect(canvas[statusX, 2].style.color == .warning)
        #expect(canvas.lines[1].contains("NAME/STATUS"))
    }

    /// From 100 columns the login ages show whatever the sort, under a short "LOGIN" title.

    /// Sorted by last login: most recent first, then everyone without a login (members who never logged
    /// in, and invitations), by email. The name gives way to the ages; the email keeps its 34 cells.

    /// Even at the smallest size the ages asked for are shown; the email gives up the cells.

    /// An owner's checklist at 80 columns: every role Owner includes says "implied" in full, not cut off.
    @Test func ownerChecklistShowsImpliedRolesAt80Columns() {
        var state = Fixtures.loaded(columns: 80, rows: 24)
        Fixtures.apply([.top, .activate], to: &state)
        let lines = Fixtures.render(state, 80, 24).lines
        let roleLines = lines.filter { $0.contains("ORG_") }
        #expect(roleLines.count == 7)
        for line in roleLines where !line.contains("ORG_OWNER") && !line.contains("ORG_MEMBER ") {
            #expect(line.hasSuffix("implied"), "\(line)")
        }
    }

    /// A member's checklist says who they are, muted, on the row under the header; the roles follow.
    @Test func singleMemberChecklistShowsWhoTheyAre() {
        let canvas = Fixtures.render(Scenarios.singleChecklist(row: 0, columns: 80, rows: 24), 80, 24)
        #expect(canvas.lines[1] == " Roles for ada@example.com (Ada Lovelace)")
        #expect(canvas.lines[2] == "  ACTIVE · last login today · member since 2021-10-06 · GB · 2 teams")
        #expect(canvas[2, 2].style.color == .muted)
        #expect(canvas.lines[3].isEmpty)
        #expect(canvas.lines[4].contains("ORG_OWNER"))
    }

    /// A bulk edit lists its users instead: no one user's details.
    @Test func bulkChecklistShowsNoUserDetails() {
        let lines = Self.frame("bulkChecklist80x24").lines
        #expect(!lines.contains { $0.contains(" · ") })
    }

    /// When rows are short the details go first, then the blank line above the roles: all seven roles
    /// stay on screen down to 40×10, and details that do not fit whole end in "…" (at 40 columns the
    /// invitation's line wraps to two rows).
    @Test(arguments: [(10, 0, false), (11, 0, false), (12, 1, true), (13, 2, false), (14, 2, false)])
    func detailsGiveWayToTheRolesAt40Columns(rows: Int, detailRows: Int, isCut: Bool) {
        let lines = Fixtures.render(Scenarios.singleChecklist(row: 2, columns: 40, rows: rows), 40, rows).lines
        #expect(lines.filter { $0.contains("[x]") || $0.contains("[ ]") }.count == 7, "\(lines)")
        let details = lines.filter { $0.contains("PENDING") || $0.hasPrefix("    ") }
        #expect(details.count == detailRows, "\(lines)")
        #expect(details.last?.hasSuffix("…") == (detailRows > 0 ? isCut : nil), "\(lines)")
        #expect(details.last?.hasSuffix("2027-02-02") == (detailRows > 0 ? !isCut : nil), "\(lines)")
        for line in lines { #expect(TextWidth.width(line) <= 40) }
    }

    /// One invitation's checklist: who invited them, when, and until when, under the header.

}
