import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

/// The filter language, one test per way a new admin tried it: the rows each query gives, or the error
/// shown beside the prompt instead of a silent empty list.
@Suite struct FilterLanguageTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    /// 0 owner (logged in yesterday), 1 member (200 days ago), 2 member + Billing Admin (never),
    /// 3 member + Billing Viewer (95 days ago), 4 Read Only and PENDING, 5 Project Creator (10 days ago),
    /// 6 Stream Processing Admin + member, EXPIRED.
    static let users: [OrgUser] = [
        Fixtures.user(0, [.owner], email: "ada@example.com", first: "Ada", last: "Lovelace", lastAuth: daysAgo(1)),
        Fixtures.user(1, [.member], email: "bob@example.com", first: "Bob", last: "Downs", lastAuth: daysAgo(200)),
        Fixtures.user(2, [.member, .billingAdmin], email: "cy@example.com", lastAuth: nil),
        Fixtures.user(3, [.member, .billingReadOnly], email: "dee@example.com", lastAuth: daysAgo(95)),
        Fixtures.user(4, [.readOnly], status: .pending, email: "eve@example.com"),
        Fixtures.user(5, [.groupCreator], email: "fay@example.com", lastAuth: daysAgo(10)),
        Fixtures.user(6, [.member, .streamProcessingAdmin], status: .invitationExpired, email: "gus@example.com"),
    ]

    /// The state after typing `text` after `/`, with the clock at ``now``.
    static func typed(_ text: String) -> EditorState {
        var state = Fixtures.loaded(users)
        _ = update(&state, .tick(now))
        _ = update(&state, .filterBegin)
        for character in text { _ = update(&state, .filterInput(String(character))) }
        return state
    }

    static func shown(_ text: String) -> [Int] {
        let state = typed(text)
        #expect(state.list.filterError == nil, "\(text): \(state.list.filterError ?? "")")
        return state.list.visible.map { row in users.firstIndex { $0.id == state.list.users.id(at: row) }! }
    }

    @Test(arguments: [
        ("owner", [0]),  // names the role
        ("own", [0, 1]),  // the owner by role, Bob Downs by name
        ("role:owner", [0]),
        ("role:billing-admin", [2]),
        ("role:ORG_BILLING_ADMIN", [2]),
        ("role:ba", [2]),
        ("role:billing-viewer", [3]),
        ("role:Billing_Read_Only", [3]),
        ("role:project-creator", [5]),
        ("role:gc", [5]),
        ("role:own", [0]),
        ("-role:owner", [1, 2, 3, 4, 5, 6]),
        ("!role:member", [0, 4, 5]),
        ("role:owner,member", [0, 1, 2, 3, 6]),
        ("role:owner,billing-admin", [0, 2]),
        ("status:pending", [4]),
        ("status:expired,pending", [4, 6]),
        ("-status:active", [4, 6]),
        ("login:>90d", [1, 3]),
        ("login:never", [2, 4, 6]),
        ("login:>90d,never", [1, 2, 3, 4, 6]),
        ("login:<30d", [0, 5]),
        ("login:>90d role:member", [1, 3]),
        ("viewer", [3]),
        ("billing", [2, 3]),
        ("ada,bob", [0, 1]),
        ("-ada,bob", [2, 3, 4, 5, 6]),
        ("role:member -role:billing-admin status:active", [1, 3]),
    ])
    func queryGivesTheseRows(text: String, rows: [Int]) {
        #expect(Self.shown(text) == rows, "\(text)")
    }

    @Test(arguments: [
        ("role:billing", "role 'billing' could be Billing Admin (billing-admin) or Billing Viewer (billing-viewer)"),
        ("role:ownr", "unknown role 'ownr' (did you mean owner?)"),
        ("status:actve", "unknown status 'actve' (did you mean active?)"),
        ("role:nope", "unknown role 'nope'"),
        ("rol:owner", "unknown field 'rol:'; the fields are role:, status:, login:, created:"),
        ("login:>90", "login: takes >N or <N days (d), weeks (w) or years (y), or never"),
        ("created:never", "created: takes >N or <N days (d), weeks (w) or years (y)"),
    ])
    func malformedQueryIsAnErrorBesideThePrompt(text: String, error: String) {
        let state = Self.typed(text)
        #expect(state.list.filterError == error)
        // Enter does not keep a filter that does not parse: the line stays open, its error beside it.
        var committed = state
        _ = update(&committed, .filterCommit)
        #expect(committed.isTextInputFocused)
        #expect(committed.list.filterError == error)
    }

    @Test func errorKeepsTheLastRowsAndFixingItFilters() {
        var state = Self.typed("status:pending role:billing")
        #expect(state.list.filterError != nil)
        #expect(state.list.count == 1)  // the rows of "status:pending role:", the last text that parsed
        for character in "-viewer" { _ = update(&state, .filterInput(String(character))) }
        #expect(state.list.filterError == nil)
        #expect(state.list.count == 0)
        _ = update(&state, .filterCancel)
        #expect(state.list.filterError == nil)
        #expect(state.list.count == Self.users.count)
    }

    @Test func datesWaitForTheClock() {
        var state = Fixtures.loaded(Self.users)
        _ = update(&state, .filterBegin)
        for character in "login:>9d" { _ = update(&state, .filterInput(String(character))) }
        #expect(state.list.filterError == "login: waits for the clock; try again in a second")
    }

    @Test func highlightedWordsAreThePositiveTextWords() {
        #expect(FilterQuery("Ada,BOB -eve role:owner status:active").highlightedWords == ["ada", "bob"])
    }

    @Test func nextAndPreviousMatchJumpBetweenRowsHoldingAHighlightedWord() {
        // "own" names the owner role, so Ada (the owner) is shown, but only Bob Downs holds the word.
        var state = Self.typed("own,fay")
        _ = update(&state, .filterCommit)
        #expect(state.list.visible.count == 3)
        #expect(state.list.cursorUser?.username == "ada@example.com")
        _ = update(&state, .nextMatch)
        #expect(state.list.cursorUser?.username == "bob@example.com")
        _ = update(&state, .nextMatch)
        #expect(state.list.cursorUser?.username == "fay@example.com")
        _ = update(&state, .nextMatch)
        #expect(state.list.cursorUser?.username == "bob@example.com")  // wraps, skipping Ada
        _ = update(&state, .previousMatch)
        #expect(state.list.cursorUser?.username == "fay@example.com")
    }

    @Test func nextMatchWaitsUntilTheFilterIsKept() {
        var state = Self.typed("e")
        let before = state.list.cursor
        _ = update(&state, .nextMatch)
        #expect(state.list.cursor == before)
    }

    @Test func leavingTheFilterKeepsTheSelectedUser() {
        var state = Self.typed("role:member")
        _ = update(&state, .filterCommit)
        _ = update(&state, .bottom)
        #expect(state.list.cursorUser?.username == "gus@example.com")
        _ = update(&state, .back)
        #expect(state.list.filterText.isEmpty)
        #expect(state.list.count == Self.users.count)
        #expect(state.list.cursorUser?.username == "gus@example.com")

        // Also when the cursor never moved: the first match stays selected.
        var untouched = Self.typed("dee")
        _ = update(&untouched, .filterCancel)
        #expect(untouched.list.cursorUser?.username == "dee@example.com")
    }

    @Test func negationAndAlternativesAreNeverTakenAsNarrowing() {
        #expect(!FilterQuery("-a").isRefinement(of: FilterQuery("-ab")))
        #expect(!FilterQuery("-ab").isRefinement(of: FilterQuery("-a")))
        #expect(!FilterQuery("a,b").isRefinement(of: FilterQuery("a")))
        #expect(FilterQuery("ab,ac").isRefinement(of: FilterQuery("a")))
        #expect(FilterQuery("role:owner").isRefinement(of: FilterQuery("role:owner,member")))
        #expect(!FilterQuery("role:owner,member").isRefinement(of: FilterQuery("role:owner")))
        // "ow" names no role, "own" names the owner: more rows can match, so it is not a narrowing.
        #expect(!FilterQuery("own").isRefinement(of: FilterQuery("ow")))
        #expect(FilterQuery("owne").isRefinement(of: FilterQuery("own")))
    }
}

/// Role and status names as `set --role` and the filter read them.
@Suite struct RoleSpellingTests {
    @Test func everySpellingOfEveryRole() {
        let spellings: [(String, OrgRole)] = [
            ("owner", .owner), ("ORG_OWNER", .owner), ("Organization Owner", .owner), ("OWN", .owner),
            ("member", .member), ("org-member", .member), ("group-creator", .groupCreator),
            ("Organization Project Creator", .groupCreator), ("project_creator", .groupCreator), ("GC", .groupCreator),
            ("billing-admin", .billingAdmin), ("ORG_BILLING_ADMIN", .billingAdmin), ("ba", .billingAdmin),
            ("billing-read-only", .billingReadOnly), ("Billing Viewer", .billingReadOnly), ("BRO", .billingReadOnly),
            ("stream-processing-admin", .streamProcessingAdmin), ("spa", .streamProcessingAdmin),
            ("read-only", .readOnly), ("Organization Read Only", .readOnly), ("ro", .readOnly),
        ]
        for (text, role) in spellings { #expect(RoleSpelling.role(text) == .found(role), "\(text)") }
    }

    @Test func ambiguousAndUnknownNames() {
        #expect(RoleSpelling.role("billing") == .ambiguous([.billingAdmin, .billingReadOnly]))
        #expect(RoleSpelling.role("ownr") == .unknown(suggestion: "owner"))
        #expect(RoleSpelling.role("xyzzy") == .unknown(suggestion: nil))
        #expect(RoleSpelling.status("invitation-expired") == .found(.invitationExpired))
        #expect(RoleSpelling.status("rej") == .found(.invitationRejected))
        #expect(RoleSpelling.status("actve") == .unknown(suggestion: "active"))
    }

    @Test func consoleNames() {
        #expect(RoleSpelling.consoleName(.groupCreator) == "Organization Project Creator")
        #expect(RoleSpelling.consoleName(.billingReadOnly) == "Organization Billing Viewer")
        #expect(RoleSpelling.shortConsoleName(.streamProcessingAdmin) == "Stream Processing Admin")
    }
}
