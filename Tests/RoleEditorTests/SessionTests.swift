import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

@Suite struct SessionTests {
    @Test func quitAsksWhileEditsArePending() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(1))
        state.toggle([.readOnly])
        #expect(update(&state, .quit).isEmpty)
        #expect(state.prompt == .quitWithPendingEdits(count: 1))
        #expect(state.statusLine == "Quit with 1 pending edit? They stay saved as a draft for next time.")
        // Other keys wait for an answer.
        #expect(update(&state, .moveCursor(1)).isEmpty)
        #expect(state.list.cursor == 1)
        #expect(update(&state, .answerPrompt(false)).isEmpty)
        #expect(state.prompt == nil && !state.isQuitting)
        _ = update(&state, .quit)
        #expect(update(&state, .answerPrompt(true)) == [.quit])
        #expect(state.isQuitting)
    }

    @Test func quitWithoutEditsQuitsAndCtrlCOnThePromptQuits() {
        var state = Fixtures.loaded(Fixtures.team())
        #expect(update(&state, .quit) == [.quit])
        var other = Fixtures.loaded(Fixtures.team())
        other.select(Fixtures.id(1))
        other.toggle([.readOnly])
        _ = update(&other, .quit)
        #expect(update(&other, .quit) == [.quit])
    }

    @Test func draftIsOfferedAndRestoredOrDiscarded() {
        let edit = PendingEdit(
            userId: Fixtures.id(2), username: "user2@example.com", status: .active, base: [.member], target: [.owner])
        let draft = Draft(orgId: Fixtures.orgId, edits: [edit], savedAt: Fixtures.time)
        var state = Fixtures.loaded(Fixtures.team())
        _ = update(&state, .draftFound(draft))
        #expect(state.prompt == .restoreDraft(draft))
        #expect(state.prompt?.declineMeans == "discards them")
        #expect(update(&state, .answerPrompt(true)).isEmpty)
        #expect(state.flash == Flash("restored 1 pending edit(s)", nextSteps: [.review]))
        #expect(state.pending[Fixtures.id(2)] == edit)
        #expect(state.visibleUserRows.first { $0.user.id == Fixtures.id(2) }?.edit == edit)

        var declined = Fixtures.loaded(Fixtures.team())
        _ = update(&declined, .draftFound(draft))
        #expect(update(&declined, .answerPrompt(false)) == [.deleteDraft(orgId: Fixtures.orgId)])
        #expect(declined.pending.isEmpty)

        // A draft of another organization, or an empty one, is not offered.
        var other = Fixtures.loaded(Fixtures.team())
        _ = update(&other, .draftFound(Draft(orgId: "ffffffffffffffffffffffff", edits: [edit])))
        _ = update(&other, .draftFound(Draft(orgId: Fixtures.orgId, edits: [])))
        #expect(other.prompt == nil)
    }

    @Test func helpOverlaySwallowsTheNextKey() {
        var state = Fixtures.loaded(Fixtures.team())
        _ = update(&state, .help)
        #expect(state.showHelp)
        _ = update(&state, .moveCursor(1))
        #expect(!state.showHelp)
        #expect(state.list.cursor == 0)
    }

    @Test func flashExpiresAfterTicks() {
        var state = Fixtures.loaded(Fixtures.team())
        _ = update(&state, .undo)
        #expect(state.flash?.text == "nothing to undo")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for second in 0..<4 { _ = update(&state, .tick(now + Double(second))) }
        #expect(state.flash != nil)
        _ = update(&state, .tick(now + 4))
        #expect(state.flash == nil)
    }

    @Test func organizationPickerWhenNoneConfigured() {
        var state = EditorState(config: EditorConfig(orgId: nil, sessionId: "s"))
        #expect(update(&state, .start) == [.loadOrganizations])
        #expect(state.pane == .orgPicker && state.picker.isLoading)
        let orgs = [
            Organization(id: Fixtures.id(901), name: "Zeta"), Organization(id: Fixtures.id(902), name: "alpha"),
            Organization(id: Fixtures.id(903), name: "Gone", isDeleted: true),
        ]
        #expect(update(&state, .organizationsLoaded(.success(orgs))).isEmpty)
        #expect(state.picker.organizations.map(\.name) == ["alpha", "Zeta"])
        _ = update(&state, .moveCursor(1))
        let effects = update(&state, .activate)
        #expect(effects == [.loadUsers(orgId: Fixtures.id(901), generation: 1), .loadDraft(orgId: Fixtures.id(901))])
        #expect(state.pane == .users && state.orgId == Fixtures.id(901))
    }

    @Test func singleOrganizationIsOpenedDirectly() {
        var state = EditorState(config: EditorConfig(orgId: nil, sessionId: "s"))
        _ = update(&state, .start)
        let effects = update(&state, .organizationsLoaded(.success([Fixtures.org])))
        #expect(effects == [.loadUsers(orgId: Fixtures.orgId, generation: 1), .loadDraft(orgId: Fixtures.orgId)])
    }

    @Test func escGoesBackOnePane() {
        var state = Fixtures.loaded(Fixtures.team())
        _ = update(&state, .openChecklist)
        #expect(state.pane == .checklist)
        _ = update(&state, .back)
        #expect(state.pane == .users && state.checklist == nil)
        state.toggle([.readOnly])
        _ = update(&state, .openReview)
        #expect(state.pane == .review)
        _ = update(&state, .back)
        #expect(state.pane == .users)
    }

    @Test func reviewWithNothingPendingSaysSo() {
        var state = Fixtures.loaded(Fixtures.team())
        _ = update(&state, .openReview)
        #expect(state.pane == .users)
        #expect(state.flash?.text == "nothing to review: no pending edits")
    }

    @Test func persistenceFailureIsShown() {
        var state = Fixtures.loaded(Fixtures.team())
        _ = update(
            &state,
            .persistenceFailed(PersistenceError(operation: "write", path: "/x/draft.json", reason: "No space left")))
        #expect(state.flash == Flash("could not write /x/draft.json: No space left", level: .error, ticks: 10))
    }
}
