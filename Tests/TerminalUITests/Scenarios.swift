import Foundation
import RoleEditor
import TerminalUI

/// States the render tests draw, each reached through `update` the way the program reaches it.
enum Scenarios {
    /// The list with the cursor on the second row, one user marked and one with a pending edit.
    static func list(columns: Int, rows: Int) -> EditorState {
        var state = Fixtures.loaded(columns: columns, rows: rows)
        // Cursor to zoe (last row), edit: add Billing Read Only; back; then mark taro.
        Fixtures.apply([.bottom, .activate, .moveCursor(4), .toggleRole, .activate], to: &state)
        // Space moves on to the next row, so the cursor goes back up four rows after it.
        Fixtures.apply([.top, .moveCursor(4), .toggleMark, .moveCursor(-4)], to: &state)
        return state
    }

    /// The list sorted by last login, with the cursor on the top row.
    static func sortedByLastLogin(columns: Int, rows: Int) -> EditorState {
        var state = Fixtures.loaded(columns: columns, rows: rows)
        Fixtures.apply([.setSort(.lastLogin), .top], to: &state)
        return state
    }

    /// The checklist of one user, `row` of the list sorted by email (0 Ada, 2 the invitee), Member toggled.
    static func singleChecklist(row: Int, columns: Int, rows: Int) -> EditorState {
        var state = Fixtures.loaded(columns: columns, rows: rows)
        Fixtures.apply([.top, .moveCursor(row), .activate, .moveCursor(1), .toggleRole], to: &state)
        return state
    }

    /// A bulk edit of Ada (Owner) and Taro (Member, Billing Admin): Member toggled on for both.
    static func bulkChecklist(columns: Int, rows: Int) -> EditorState {
        var state = Fixtures.loaded(columns: columns, rows: rows)
        Fixtures.apply(
            [.top, .toggleMark, .moveCursor(3), .toggleMark, .openChecklist, .moveCursor(1), .toggleRole], to: &state)
        return state
    }

    /// Two edits reviewed and applied: Taro's PUT refused with a full error envelope, the invitee's PATCH applied.
    static func reviewWithRefusal(columns: Int, rows: Int) -> EditorState {
        var state = Fixtures.loaded(columns: columns, rows: rows)
        // taro (row 4): add Read Only. invitee (row 2): add Member.
        Fixtures.apply([.top, .moveCursor(4), .activate, .moveCursor(6), .toggleRole, .activate], to: &state)
        Fixtures.apply(
            [.top, .moveCursor(2), .activate, .moveCursor(1), .toggleRole, .activate, .openReview], to: &state)
        let taro = Fixtures.users[1]
        let invitee = Fixtures.users[5]
        Fixtures.apply([.confirmApply], to: &state)
        let batch = state.review.batch
        Fixtures.apply(
            [.refetched(batch: batch, results: [taro.id: .success(taro), invitee.id: .success(invitee)])], to: &state)
        let putCall = RoleWriteMethod.putRoles.call(orgId: Fixtures.orgId, userId: taro.id)
        let envelope = APIErrorEnvelope(
            error: 400, errorCode: "VALIDATION_ERROR", detail: "Invalid attribute orgRoles specified.",
            reason: "Bad Request", parameters: [.string("orgRoles")],
            badRequestDetail: BadRequestDetail(fields: [
                .init(field: "orgRoles", description: "must not combine these roles")
            ]))
        let patchCall = RoleWriteMethod.patchUser.call(orgId: Fixtures.orgId, userId: invitee.id)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        Fixtures.apply(
            [
                .writeFinished(
                    userId: taro.id, result: .failure(AtlasError(.api(status: 400, envelope: envelope), call: putCall)),
                    batch: batch, finishedAt: now),
                .writeFinished(
                    userId: invitee.id,
                    result: .success(
                        RoleWriteResult(orgRoles: [.readOnly, .member], call: patchCall, method: .patchUser)),
                    batch: batch, finishedAt: now),
            ], to: &state)
        return state
    }

    /// Zoe's edit met a change on the server: both role sets side by side.
    static func reviewWithConflict(columns: Int, rows: Int) -> EditorState {
        var state = Fixtures.loaded(columns: columns, rows: rows)
        Fixtures.apply(
            [.bottom, .activate, .moveCursor(1), .toggleRole, .activate, .openReview, .confirmApply], to: &state)
        var zoe = Fixtures.users[2]
        zoe.orgRoles = [.readOnly, .billingReadOnly]
        Fixtures.apply([.refetched(batch: state.review.batch, results: [zoe.id: .success(zoe)])], to: &state)
        return state
    }

    /// A page of 2 users of an estimated 10 arrived; more are loading.
    static func loading(columns: Int, rows: Int) -> EditorState {
        var state = EditorState(config: EditorConfig(orgId: Fixtures.orgId, sessionId: "test"))
        Fixtures.apply(
            [
                .resize(rows: rows, cols: columns), .start,
                .organizationLoaded(.success(Organization(id: Fixtures.orgId, name: "Acme Corp"))),
                .usersPageLoaded(
                    UserPage(users: Array(Fixtures.users.prefix(4)), pageNumber: 1, loadedCount: 4, totalCount: 10),
                    generation: 1),
            ], to: &state)
        return state
    }

    static func orgPicker(columns: Int, rows: Int) -> EditorState {
        var state = EditorState(config: EditorConfig(orgId: nil, sessionId: "test"))
        Fixtures.apply(
            [
                .resize(rows: rows, cols: columns), .start,
                .organizationsLoaded(
                    .success([
                        Organization(id: "5f1e0c2a9d3b4a0012345678", name: "Acme Corp"),
                        Organization(id: "5f1e0c2a9d3b4a0012345679", name: "株式会社テスト"),
                    ])),
            ], to: &state)
        return state
    }

    static func draftPrompt(columns: Int, rows: Int) -> EditorState {
        var state = Fixtures.loaded(columns: columns, rows: rows)
        let taro = Fixtures.users[1]
        let draft = Draft(
            orgId: Fixtures.orgId,
            edits: [
                PendingEdit(
                    userId: taro.id, username: taro.username, status: .active, base: taro.orgRoles,
                    target: [.member, .owner])
            ])
        Fixtures.apply([.draftFound(draft)], to: &state)
        return state
    }
}

/// Frames whose every piece of server text is hostile: escape sequences, C0 and C1 controls, bidi
/// overrides and isolates, line separators, in names, emails, the organization, an unknown role, an
/// error envelope, the journal, a flash and the filter.
enum HostileScenarios {
    /// Everything a terminal might act on, in one string.
    static let text =
        "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{85}\u{0}\u{7F}\t\n\r\u{202E}\u{2066}\u{200F}\u{061C}\u{2028}\u{2029}"

    static let role = OrgRole(rawValue: "ORG_" + text)

    static let users: [OrgUser] = [
        OrgUser(
            id: Fixtures.id(1), username: "eve" + text + "@example.com", firstName: "Eve" + text,
            lastName: text + "live", orgRoles: [.owner, role], teamIds: [text], country: text,
            createdAt: Fixtures.ago(days: 30), lastAuth: Fixtures.ago(days: 2)),
        OrgUser(
            id: Fixtures.id(2), username: text + "@example.org", status: .pending, orgRoles: [.readOnly],
            invitationCreatedAt: Fixtures.ago(days: 3), invitationExpiresAt: Fixtures.ago(days: -27),
            inviterUsername: text),
        OrgUser(id: Fixtures.id(3), username: "ada@example.com", firstName: "Ada", orgRoles: [.owner]),
    ]

    /// Every hostile frame at `columns`×`rows`, by name.
    static func frames(columns: Int, rows: Int) -> [(name: String, state: EditorState)] {
        let loaded = Fixtures.loaded(users, columns: columns, rows: rows, orgName: "Acme" + text)
        var filtering = loaded
        Fixtures.apply([.filterBegin, .filterInput(text)], to: &filtering)
        var filtered = loaded
        Fixtures.apply([.filterBegin, .filterInput("eve" + text), .filterCommit], to: &filtered)
        var flash = loaded
        Fixtures.apply(
            [.persistenceFailed(PersistenceError(operation: "write", path: "/tmp/" + text, reason: text))], to: &flash)
        var waiting = loaded
        let call = RoleWriteMethod.putRoles.call(orgId: Fixtures.orgId, userId: Fixtures.id(1))
        Fixtures.apply(
            [.serviceEvent(.retryWait(call: call, seconds: 3, attempt: 2, reason: text))], to: &waiting)
        // The checklist of each user says who they are (a member's country and teams, an inviter).
        let checklists = users.indices.map { row in
            var state = loaded
            Fixtures.apply([.top, .moveCursor(row), .activate], to: &state)
            return (name: "checklist\(row)", state: state)
        }
        return checklists + [
            ("list", loaded), ("filtering", filtering), ("filtered", filtered), ("review", review(loaded)),
            ("conflict", conflict(loaded)), ("journal", journal(loaded)), ("flash", flash), ("waiting", waiting),
            ("draftPrompt", draftPrompt(loaded)), ("orgPicker", orgPicker(columns: columns, rows: rows)),
        ]
    }

    /// Every user edited and sent: the hostile ones refused with an envelope made of hostile text.
    private static func review(_ loaded: EditorState) -> EditorState {
        var state = applying(loaded)
        let batch = state.review.batch
        Fixtures.apply([.refetched(batch: batch, results: byId(users))], to: &state)
        let envelope = APIErrorEnvelope(
            error: 400, errorCode: "BAD" + text, detail: text, reason: text, parameters: [.string(text)],
            badRequestDetail: BadRequestDetail(fields: [.init(field: text, description: text)]))
        for user in users.prefix(2) {
            let call = RoleWriteMethod.putRoles.call(orgId: Fixtures.orgId, userId: user.id)
            let error = AtlasError(.api(status: 400, envelope: envelope), call: call)
            Fixtures.apply(
                [.writeFinished(userId: user.id, result: .failure(error), batch: batch, finishedAt: Fixtures.now)],
                to: &state)
        }
        return state
    }

    /// Every user edited, and the server holds hostile roles for each of them by now.
    private static func conflict(_ loaded: EditorState) -> EditorState {
        var state = applying(loaded)
        let changed = users.map { user in
            var user = user
            user.orgRoles = [role, OrgRole(rawValue: text)]
            return user
        }
        Fixtures.apply([.refetched(batch: state.review.batch, results: byId(changed))], to: &state)
        return state
    }

    /// Every user marked, one role toggled for all of them, reviewed and confirmed.
    private static func applying(_ loaded: EditorState) -> EditorState {
        var state = loaded
        Fixtures.apply(
            [.markAllShown, .openChecklist, .moveCursor(6), .toggleRole, .activate, .openReview, .confirmApply],
            to: &state)
        return state
    }

    private static func byId(_ users: [OrgUser]) -> [String: Result<OrgUser, AtlasError>] {
        Dictionary(uniqueKeysWithValues: users.map { ($0.id, .success($0)) })
    }

    private static func journal(_ loaded: EditorState) -> EditorState {
        var state = loaded
        let call = RoleWriteMethod.putRoles.call(orgId: Fixtures.orgId, userId: Fixtures.id(1))
        let entries = [
            JournalEntry(
                time: Fixtures.ago(days: 1), batch: text, orgId: Fixtures.orgId, userId: Fixtures.id(1),
                username: users[0].username, before: [role], after: [.owner], call: call, outcome: .applied),
            JournalEntry(
                time: Fixtures.ago(days: 1), batch: text, orgId: Fixtures.orgId, userId: Fixtures.id(2),
                username: users[1].username, before: [.readOnly], after: [role], call: call, outcome: .refused,
                error: text),
        ]
        Fixtures.apply([.openJournal, .journalLoaded(.success(entries))], to: &state)
        return state
    }

    private static func draftPrompt(_ loaded: EditorState) -> EditorState {
        var state = loaded
        let eve = users[0]
        let edit = PendingEdit(
            userId: eve.id, username: eve.username, status: .active, base: eve.orgRoles, target: [role])
        Fixtures.apply([.draftFound(Draft(orgId: Fixtures.orgId, edits: [edit]))], to: &state)
        return state
    }

    private static func orgPicker(columns: Int, rows: Int) -> EditorState {
        var state = EditorState(config: EditorConfig(orgId: nil, sessionId: "test"))
        Fixtures.apply(
            [
                .resize(rows: rows, cols: columns), .start,
                .organizationsLoaded(
                    .success([
                        Organization(id: Fixtures.orgId, name: text),
                        Organization(id: "5f1e0c2a9d3b4a0012345679", name: "Acme" + text),
                    ])),
            ], to: &state)
        return state
    }
}
