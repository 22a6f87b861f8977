import AtlasAPI
import Foundation
import RoleEditor
import Testing

@testable import TerminalUI

/// The review of removals and invitations, before and after they are applied.
@Suite struct MembershipRenderTests {
    @Test func anAppliedInvitationShowsItsOutcomeInTheReview() {
        var state = Fixtures.loaded()
        let edit = PendingEdit.invitation(username: "new.hire@example.com", roles: [.member], teamIds: [])
        Fixtures.apply([.stageEdits([edit]), .openReview, .confirmApply], to: &state)
        let orgId = state.orgId!
        Fixtures.apply(
            [
                .refetched(batch: state.review.batch, results: [:]),
                .intentsRecorded(batch: state.review.batch, failure: nil),
                .membershipWriteFinished(
                    userId: edit.userId,
                    result: .success(
                        .invited(
                            OrgUser(
                                id: "aaaaaaaaaaaaaaaaaaaaaaaa", username: "new.hire@example.com", status: .pending,
                                orgRoles: [.member]), call: .createOrgUser(orgId: orgId))),
                    batch: state.review.batch, finishedAt: Date()),
            ], to: &state)
        #expect(state.pending.isEmpty)
        let lines = Fixtures.render(state, 100, 30).lines
        #expect(
            lines.contains { $0.contains("INVITE new.hire@example.com") && $0.contains("applied (POST)") },
            "\(lines.joined(separator: "\n"))")
    }

    @Test func aStagedRemovalShowsTheRolesThatGoNotAnEmptyRoleSet() {
        var state = Fixtures.loaded(columns: 100, rows: 30)
        let user = Fixtures.users[1]
        Fixtures.apply([.stageEdits([PendingEdit.removal(of: user)])], to: &state)
        let lines = Fixtures.render(state, 100, 30).lines
        let row = lines.first { $0.contains(user.username) } ?? ""
        #expect(row.contains("remove: MEM BA"), "\(lines.joined(separator: "\n"))")
        #expect(!row.contains("(none)"))
    }

    @Test func theInviteFormKeepsTheFieldBeingEditedInViewAt40x10() {
        var state = Fixtures.loaded(columns: 40, rows: 10)
        Fixtures.apply([.openInviteForm], to: &state)
        var screen = Fixtures.render(state, 40, 10).lines.joined(separator: "\n")
        #expect(screen.contains("_"), "the address being typed:\n\(screen)")
        // The last role, Read Only, under the cursor after moving down through the checklist.
        Fixtures.apply([.inviteForm(.nextField)] + Array(repeating: .inviteForm(.move(1)), count: 6), to: &state)
        screen = Fixtures.render(state, 40, 10).lines.joined(separator: "\n")
        #expect(screen.contains("› [ ] Organization Read Only"), "\(screen)")
    }
}
