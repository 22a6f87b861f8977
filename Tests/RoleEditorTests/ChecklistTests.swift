import AtlasAPI
import AtlasRolesTesting
import Testing

@testable import RoleEditor

@Suite struct ChecklistTests {
    @Test func enterOpensChecklistForCursorUserAndShowsOriginalAndEdited() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(3))
        _ = update(&state, .activate)
        #expect(state.pane == .checklist)
        #expect(state.checklist?.userIds == [Fixtures.id(3)])
        var rows = state.checklistRows
        #expect(rows.count == 7)
        #expect(rows[1].role == .member && rows[1].original == .on && rows[1].edited == .on)
        // Billing Admin includes Member's privileges: Member is shown as implied.
        #expect(rows[1].implied == .on)
        #expect(rows[3].role == .billingAdmin && rows[3].edited == .on)
        _ = update(&state, .moveCursor(3))
        let effects = update(&state, .toggleRole)
        rows = state.checklistRows
        #expect(rows[3].original == .on && rows[3].edited == .off && rows[3].isChanged)
        #expect(state.pending[Fixtures.id(3)]?.target == [.member])
        #expect(effects == [.saveDraft(Draft(orgId: Fixtures.orgId, edits: state.pending.sorted))])
        _ = update(&state, .activate)
        #expect(state.pane == .users)
        #expect(state.pending.count == 1)
        let row = state.visibleUserRows.first { $0.user.id == Fixtures.id(3) }!
        #expect(row.edit != nil && row.shownRoles == [.member])
    }

    @Test func ownerImpliesEveryOtherRole() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(0))
        _ = update(&state, .openChecklist)
        let rows = state.checklistRows
        #expect(rows[0].implied == .off)
        #expect(rows.dropFirst().allSatisfy { $0.implied == .on })
    }

    @Test func editReturningToBaseDisappears() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(1))
        state.toggle([.readOnly])
        #expect(state.pending.count == 1)
        let effects = { () -> [Effect] in
            _ = update(&state, .openChecklist)
            _ = update(&state, .moveCursor(6))
            return update(&state, .toggleRole)
        }()
        #expect(state.pending.isEmpty)
        #expect(effects == [.deleteDraft(orgId: Fixtures.orgId)])
    }

    @Test func bulkEditWithMixedRolesKeepsUntouchedRoles() {
        var state = Fixtures.loaded(Fixtures.team())
        for id in [1, 3, 4] {
            state.select(Fixtures.id(id))
            _ = update(&state, .toggleMark)
        }
        _ = update(&state, .openChecklist)
        #expect(state.checklist?.userIds == [1, 3, 4].map(Fixtures.id))
        var rows = state.checklistRows
        #expect(rows[1].edited == .mixed)  // member: users 1 and 3, not 4
        #expect(rows[3].edited == .mixed)  // billing admin: user 3 only
        #expect(rows[6].edited == .mixed)  // read only: user 4 only
        // Mixed → set on everyone.
        _ = update(&state, .moveCursor(1))
        _ = update(&state, .toggleRole)
        rows = state.checklistRows
        #expect(rows[1].edited == .on && rows[1].original == .mixed)
        #expect(state.pending[Fixtures.id(4)]?.target == [.readOnly, .member])
        #expect(state.pending[Fixtures.id(1)] == nil)  // already had it: no edit
        #expect(state.pending[Fixtures.id(3)] == nil)
        // On for all → cleared on everyone; other roles stay as each had them.
        _ = update(&state, .toggleRole)
        #expect(state.pending[Fixtures.id(1)]?.target == [])
        #expect(state.pending[Fixtures.id(3)]?.target == [.billingAdmin])
        #expect(state.pending[Fixtures.id(4)] == nil)  // back to its base
        #expect(state.checklistRows[3].edited == .mixed)
        // Undo takes back one bulk step at a time.
        _ = update(&state, .undo)
        #expect(state.pending[Fixtures.id(4)]?.target == [.readOnly, .member])
        #expect(state.pending[Fixtures.id(1)] == nil)
        _ = update(&state, .undo)
        #expect(state.pending.isEmpty)
        _ = update(&state, .undo)
        #expect(state.flash?.text == "nothing to undo")
    }

    /// The checklist keeps its counts between keys; every change of the edits or of the loaded users
    /// while it is open must still show.
    @Test func keptCountsFollowEditsUndoAndServerChanges() {
        var state = Fixtures.loaded(Fixtures.team())
        _ = update(&state, .top)
        _ = update(&state, .toggleMark)
        _ = update(&state, .toggleMark)
        _ = update(&state, .openChecklist)
        func mark(_ role: OrgRole) -> RoleMark? { state.checklistRows.first { $0.role == role }?.edited }
        #expect(mark(.readOnly) == .off)
        _ = update(&state, .moveCursor(6))
        _ = update(&state, .toggleRole)
        #expect(mark(.readOnly) == .on)
        _ = update(&state, .moveCursor(-1))  // a cursor move keeps the counts
        #expect(mark(.readOnly) == .on)
        _ = update(&state, .undo)
        #expect(mark(.readOnly) == .off)
        // The server's answer for one of them arrives while the checklist is open (a re-read).
        let marked = state.checklist!.userIds
        var changed = try! #require(state.list.user(id: marked[0]))
        changed.orgRoles.insert(.readOnly)
        state.list.replace(changed)
        #expect(mark(.readOnly) == .mixed)
        #expect(state.checklistUsers.map(\.id) == marked)
    }

    @Test func undoWorksFromTheListAndSavesTheDraft() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(1))
        state.toggle([.readOnly])
        state.select(Fixtures.id(2))
        state.toggle([.groupCreator])
        #expect(state.pending.count == 2)
        let effects = update(&state, .undo)
        #expect(state.pending.count == 1)
        #expect(state.pending[Fixtures.id(1)]?.target == [.member, .readOnly])
        #expect(effects == [.saveDraft(Draft(orgId: Fixtures.orgId, edits: state.pending.sorted))])
    }

    @Test func discardIsUndoable() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(1))
        state.toggle([.readOnly])
        #expect(update(&state, .discardAllEdits) == [.deleteDraft(orgId: Fixtures.orgId)])
        #expect(state.pending.isEmpty)
        #expect(state.flash == Flash("discarded 1 pending edit(s)", nextSteps: [.undo]))
        _ = update(&state, .undo)
        #expect(state.pending.count == 1)
    }
}

@Suite struct RuleTests {
    @Test func emptyRoleSetIsRefusedBeforeAnythingIsSent() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(1))
        state.toggle([.member])
        #expect(state.pending[Fixtures.id(1)]?.target == [])
        #expect(state.ruleFindings == [.emptyRoleSet(userIds: [Fixtures.id(1)])])
        _ = update(&state, .openReview)
        #expect(state.reviewItems.first?.isEmptyRoleSet == true)
        let effects = update(&state, .confirmApply)
        #expect(effects.isEmpty)
        #expect(state.review.phase == .idle)
        #expect(state.flash?.level == .error)
        #expect(state.flash?.text.contains("no role") == true)
    }

    @Test func removingTheLastOwnerIsRefused() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(0))
        state.toggle([.owner, .member])
        #expect(state.ruleFindings == [.noOwnerLeft])
        _ = update(&state, .openReview)
        #expect(update(&state, .confirmApply).isEmpty)
        // Making someone else owner in the same change is fine.
        state.select(Fixtures.id(1))
        state.toggle([.owner])
        #expect(state.ruleFindings.isEmpty)
        _ = update(&state, .openReview)
        #expect(
            update(&state, .confirmApply) == [
                .refetchUsers(orgId: Fixtures.orgId, userIds: [0, 1].map(Fixtures.id), batch: 1, byListing: true)
            ])
    }

    /// The findings are kept between frames; a change of the loaded users alone (the server's answer to
    /// a re-read) must still reach them.
    @Test func keptFindingsFollowTheLoadedUsers() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(0))
        state.toggle([.owner, .member])
        #expect(state.ruleFindings == [.noOwnerLeft])
        var promoted = try! #require(state.list.user(id: Fixtures.id(2)))
        promoted.orgRoles.insert(.owner)
        state.list.replace(promoted)
        #expect(state.ruleFindings.isEmpty)
    }

    @Test func pendingInvitationDoesNotCountAsOwner() {
        var users = Fixtures.team()
        users[4].orgRoles = [.owner]
        var state = Fixtures.loaded(users)
        state.select(Fixtures.id(0))
        state.toggle([.owner, .member])
        #expect(state.ruleFindings == [.noOwnerLeft])
    }

    @Test func whenNotAllLoadedItSaysItCannotTell() {
        var state = EditorState(config: EditorConfig(orgId: Fixtures.orgId, sessionId: "s"))
        _ = update(&state, .start)
        let page = UserPage(users: Fixtures.team(), pageNumber: 1, loadedCount: 6, totalCount: 40)
        _ = update(&state, .usersPageLoaded(page, generation: 1))
        state.select(Fixtures.id(0))
        state.toggle([.owner, .member])
        #expect(state.ruleFindings == [.ownerCountUnknown(loaded: 6, total: 40)])
        #expect(state.ruleFindings[0].message.contains("cannot tell"))
        #expect(update(&state, .confirmApply).isEmpty)
        // Removing a non-last owner is decidable even mid-load: another loaded owner remains.
        state.select(Fixtures.id(1))
        state.toggle([.owner])
        #expect(state.ruleFindings.isEmpty)
    }
}
