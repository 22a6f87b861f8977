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
        Fixtures.apply([.top, .moveCursor(4), .toggleMark, .moveCursor(-3)], to: &state)
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
            [.top, .toggleMark, .moveCursor(4), .toggleMark, .openChecklist, .moveCursor(1), .toggleRole], to: &state)
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
