import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

@Suite struct UserListTests {
    @Test func startLoadsOrganizationUsersAndDraft() {
        var state = EditorState(config: EditorConfig(orgId: Fixtures.orgId, sessionId: "s"))
        let effects = update(&state, .start)
        #expect(
            effects == [
                .loadOrganization(id: Fixtures.orgId), .loadUsers(orgId: Fixtures.orgId, generation: 1),
                .loadDraft(orgId: Fixtures.orgId),
            ])
        #expect(state.pane == .users)
        #expect(state.list.progress.isLoading)
    }

    @Test func pagesArriveWithProgressAndStaleGenerationsAreIgnored() {
        var state = EditorState(config: EditorConfig(orgId: Fixtures.orgId, sessionId: "s"))
        _ = update(&state, .start)
        let first = (0..<3).map { Fixtures.user($0) }
        _ = update(
            &state,
            .usersPageLoaded(UserPage(users: first, pageNumber: 1, loadedCount: 3, totalCount: 5), generation: 1))
        #expect(state.list.count == 3)
        #expect(state.headerText.contains("loading 3 of 5"))
        #expect(!state.list.progress.isComplete)
        // A page from an older load (before a reload) must not mix into the list.
        _ = update(
            &state,
            .usersPageLoaded(
                UserPage(users: [Fixtures.user(9)], pageNumber: 1, loadedCount: 1, totalCount: 1), generation: 0))
        #expect(state.list.count == 3)
        _ = update(
            &state,
            .usersPageLoaded(
                UserPage(users: [Fixtures.user(4), Fixtures.user(3)], pageNumber: 2, loadedCount: 5, totalCount: 5),
                generation: 1))
        _ = update(&state, .usersLoadFinished(generation: 1))
        #expect(state.list.progress.isComplete)
        #expect(!state.list.progress.isLoading)
        // Pages arriving out of order still end sorted by email.
        #expect((0..<5).map { state.list.user(atRow: $0).id } == (0..<5).map(Fixtures.id))
    }

    @Test func loadFailureIsShownAndKeepsWhatArrived() {
        var state = EditorState(config: EditorConfig(orgId: Fixtures.orgId, sessionId: "s"))
        _ = update(&state, .start)
        _ = update(
            &state,
            .usersPageLoaded(
                UserPage(users: [Fixtures.user(1)], pageNumber: 1, loadedCount: 1, totalCount: 9), generation: 1))
        _ = update(&state, .usersLoadFailed(Fixtures.timeout, generation: 1))
        #expect(state.list.progress.error == Fixtures.timeout)
        #expect(state.list.count == 1)
        #expect(state.flash?.level == .error)
        #expect(!state.list.progress.isComplete)
    }

    @Test func reloadKeepsPendingEditsAndStartsNewGeneration() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(1))
        state.toggle([.readOnly])
        let effects = update(&state, .reload)
        #expect(effects == [.loadUsers(orgId: Fixtures.orgId, generation: 2)])
        #expect(state.list.count == 0)
        #expect(state.pending.count == 1)
    }

    @Test func cursorMovesClampAndWindowFollows() {
        var state = Fixtures.loaded((0..<100).map { Fixtures.user($0) }, rows: 13)  // 10 list rows
        #expect(state.list.viewportHeight == 10)
        _ = update(&state, .moveCursor(-5))
        #expect(state.list.cursor == 0)
        _ = update(&state, .moveCursor(12))
        #expect(state.list.cursor == 12)
        #expect(state.list.window == 3..<13)
        _ = update(&state, .pageDown)
        #expect(state.list.cursor == 22)
        #expect(state.list.window.contains(22))
        _ = update(&state, .bottom)
        #expect(state.list.cursor == 99)
        #expect(state.list.window == 90..<100)
        _ = update(&state, .pageUp)
        #expect(state.list.cursor == 89)
        _ = update(&state, .top)
        #expect(state.list.cursor == 0 && state.list.window == 0..<10)
        #expect(state.visibleUserRows.count == 10)
        #expect(state.visibleUserRows.first?.isCursor == true)
    }

    @Test func filterMatchesEmailAndNameIgnoringCaseAndAccents() {
        let users = [
            Fixtures.user(1, email: "elodie@example.com", first: "Élodie", last: "Dupré"),
            Fixtures.user(2, email: "bob@example.com", first: "Bob", last: "Stone"),
            Fixtures.user(3, email: "ZOE@corp.example", first: "Zoë", last: "Muller"),
        ]
        var state = Fixtures.loaded(users)
        _ = update(&state, .filterBegin)
        #expect(state.isTextInputFocused)
        for character in "DUPRE" { _ = update(&state, .filterInput(String(character))) }
        #expect(state.list.count == 1)
        #expect(state.list.cursorUser?.id == Fixtures.id(1))
        _ = update(&state, .filterCancel)
        #expect(state.list.count == 3)
        #expect(!state.isTextInputFocused)
        _ = update(&state, .filterBegin)
        _ = update(&state, .filterInput("zoe"))
        #expect(state.list.count == 1)
        _ = update(&state, .filterCommit)
        #expect(!state.isTextInputFocused)
        #expect(state.list.filterText == "zoe")
        // Esc in the list clears a committed filter.
        _ = update(&state, .back)
        #expect(state.list.count == 3)
    }

    @Test func roleAndStatusTerms() {
        var state = Fixtures.loaded(Fixtures.team())
        _ = update(&state, .filterBegin)
        _ = update(&state, .filterInput("role:owner"))
        #expect(state.list.visible.map { state.list.users[$0].id } == [Fixtures.id(0)])
        _ = update(&state, .filterCancel)
        _ = update(&state, .filterBegin)
        _ = update(&state, .filterInput("role:billing-admin"))
        #expect(state.list.visible.map { state.list.users[$0].id } == [Fixtures.id(3)])
        _ = update(&state, .filterCancel)
        _ = update(&state, .filterBegin)
        _ = update(&state, .filterInput("status:pending"))
        #expect(state.list.visible.map { state.list.users[$0].id } == [Fixtures.id(4)])
        _ = update(&state, .filterInput(" user5"))
        #expect(state.list.count == 0)
    }

    @Test func backspaceRestoresEarlierResultsAndCursorStaysOnItsUser() {
        var state = Fixtures.loaded((0..<50).map { Fixtures.user($0) })
        state.select(Fixtures.id(12))
        _ = update(&state, .filterBegin)
        _ = update(&state, .filterInput("user1"))
        #expect(state.list.count == 11)  // user1, user10...user19
        #expect(state.list.cursorUser?.id == Fixtures.id(12))
        _ = update(&state, .filterInput("2"))
        #expect(state.list.count == 1)
        _ = update(&state, .filterBackspace)
        #expect(state.list.count == 11)
        #expect(state.list.cursorUser?.id == Fixtures.id(12))
        _ = update(&state, .filterBackspace)
        _ = update(&state, .filterBackspace)
        #expect(state.list.filterText == "use")
        #expect(state.list.count == 50)
    }

    @Test func filterIgnoresControlCharacters() {
        var state = Fixtures.loaded(Fixtures.team())
        _ = update(&state, .filterBegin)
        _ = update(&state, .filterInput("\u{1B}[2J"))
        #expect(state.list.filterText == "[2J")
    }

    @Test func sortCyclesThroughOrders() {
        let users = [
            Fixtures.user(
                1, [.readOnly], email: "c@x.io", first: "Ann", last: "Z", lastAuth: Date(timeIntervalSince1970: 100)),
            Fixtures.user(2, [.owner], email: "a@x.io", first: "Cid", last: "Y", lastAuth: nil),
            Fixtures.user(
                3, [.member], email: "b@x.io", first: "Bea", last: "X", lastAuth: Date(timeIntervalSince1970: 300)),
        ]
        var state = Fixtures.loaded(users)
        func order() -> [String] { state.list.visible.map { state.list.users[$0].username } }
        #expect(order() == ["a@x.io", "b@x.io", "c@x.io"])
        _ = update(&state, .cycleSort)
        #expect(state.list.sort == .name)
        #expect(order() == ["c@x.io", "b@x.io", "a@x.io"])
        _ = update(&state, .cycleSort)
        #expect(state.list.sort == .lastLogin)
        #expect(order() == ["b@x.io", "c@x.io", "a@x.io"])
        _ = update(&state, .cycleSort)
        #expect(order() == ["a@x.io", "b@x.io", "c@x.io"])  // owner, member, read only
        _ = update(&state, .cycleSort)
        #expect(state.list.sort == .email)
    }

    @Test func marksAndCounts() {
        var state = Fixtures.loaded(Fixtures.team())
        _ = update(&state, .toggleMark)
        // Space moves to the next row, as in htop and mc.
        #expect(state.list.cursor == 1)
        _ = update(&state, .moveCursor(1))
        _ = update(&state, .toggleMark)
        #expect(state.list.marked == [Fixtures.id(0), Fixtures.id(2)])
        #expect(state.userRow(at: 2).isMarked)
        _ = update(&state, .moveCursor(-1))
        _ = update(&state, .toggleMark)
        #expect(state.list.marked == [Fixtures.id(0)])
        _ = update(&state, .filterBegin)
        _ = update(&state, .filterInput("user1"))
        _ = update(&state, .filterCommit)
        _ = update(&state, .markAllShown)
        #expect(state.list.marked == [Fixtures.id(0), Fixtures.id(1)])
        #expect(state.headerText.contains("1 shown · 6 users"))
        _ = update(&state, .clearMarks)
        #expect(state.list.marked.isEmpty)
    }

    /// Narrowing the previous rows must give exactly what filtering everything gives.
    @Test func incrementalFilterEqualsFullFilter() {
        let names = ["Ana", "Anaïs", "Björn", "Zoë", "Ôscar", "ana-maria", "Renée"]
        let users = (0..<300).map { n in
            Fixtures.user(
                n, n % 7 == 0 ? [.owner] : [.member], email: "\(names[n % names.count].lowercased())\(n)@ex.com",
                first: names[(n * 3) % names.count], last: "L\(n % 13)")
        }
        var state = Fixtures.loaded(users)
        _ = update(&state, .filterBegin)
        let pieces = [
            "a", "n", "a", " ", "l", "1", "\u{7F}", " -", "o", " ", "role:", "o", "w", ",", "m", "e", "m", " !",
            "status:",
            "a", "c", "\u{7F}", "\u{7F}", "\u{7F}", "\u{7F}", "\u{7F}", " a,", "b", "j", " own", "e", "r",
        ]
        var lastValid: Set<Int> = Set(state.list.visible)
        for piece in pieces {
            if piece == "\u{7F}" {
                _ = update(&state, .filterBackspace)
            } else {
                _ = update(&state, .filterInput(piece))
            }
            let query = FilterQuery(state.list.filterText)
            // A filter that does not parse leaves the rows of the last one that did.
            let expected =
                query.error != nil
                ? lastValid : Set(state.list.users.indices.filter { query.matches(state.list.users[$0]) })
            #expect((query.error != nil) == (state.list.filterError != nil), "filter \(state.list.filterText)")
            #expect(Set(state.list.visible) == expected, "filter \(state.list.filterText)")
            lastValid = Set(state.list.visible)
        }
    }

    /// `role:` and `status:` terms are decided by bit masks in the hot loop; they must agree with the
    /// reference matcher for every role combination and status, unknown ones included.
    @Test func roleAndStatusMasksEqualTheReferenceMatcher() {
        let statuses: [MembershipStatus] = [
            .active, .pending, .invitationExpired, .invitationRejected, .other("LOCKED"),
        ]
        let roles = OrgRole.known + [OrgRole(rawValue: "ORG_FUTURE_ROLE")]
        let users = (0..<(1 << roles.count)).map { combination in
            Fixtures.user(
                combination, Set(roles.indices.filter { combination & (1 << $0) != 0 }.map { roles[$0] }),
                status: statuses[combination % statuses.count])
        }
        var state = Fixtures.loaded(users)
        let queries = [
            "role:", "role:o", "role:owner", "role:billing", "role:billing_admin", "role:readonly", "role:read_only",
            "role:future", "role:nope", "status:", "status:p", "status:pending", "status:invitation", "status:locked",
            "status:active role:member", "role:member role:billing-viewer status:a", "role:owner status:nope",
            "user1 role:group", "-role:owner", "!role:member", "role:owner,member", "-status:active,pending",
            "role:ba,bro -role:mem", "status:expired,rejected", "billing", "-viewer", "own,gc",
        ]
        for text in queries {
            _ = update(&state, .filterBegin)
            _ = update(&state, .filterInput(text))
            let query = FilterQuery(text)
            let expected =
                query.error != nil
                ? Set(state.list.users.indices)
                : Set(state.list.users.indices.filter { query.matches(state.list.users[$0]) })
            #expect((query.error != nil) == (state.list.filterError != nil), "filter \(text)")
            #expect(Set(state.list.visible) == expected, "filter \(text)")
            _ = update(&state, .filterCancel)
        }
    }
}

@Suite struct FilterLengthTests {
    /// A pasted page is cut to what a query can be, and the person is told, not ignored.
    @Test func aPasteIsCutToTheFilterLimit() {
        var state = Fixtures.loaded(Fixtures.team(count: 20))
        _ = update(&state, .filterBegin)
        _ = update(&state, .filterInput(String(repeating: "x", count: 4_500)))
        #expect(state.list.filterText.count == EditorState.maximumFilterLength)
        #expect(state.flash?.text.contains("at most") == true)
        _ = update(&state, .filterInput("y"))
        #expect(state.list.filterText.count == EditorState.maximumFilterLength)
    }
}
