import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

/// Removals and invitations through the one apply path: rules, typed confirmation, journal, revert.
@Suite struct MembershipTests {
    private func driver(_ users: [OrgUser] = Fixtures.team()) async -> Driver {
        let service = FakeAtlasService(organizations: [Fixtures.org], users: [Fixtures.orgId: users])
        let driver = Driver(service: service, config: EditorConfig(orgId: Fixtures.orgId, sessionId: "s1"))
        await driver.send(.start)
        return driver
    }

    /// Confirms the prompt by typing the number it asks for.
    private func typeCount(_ driver: Driver) async {
        guard case .typeUserCount(let users, _) = driver.state.prompt else {
            Issue.record("no typed confirmation: \(String(describing: driver.state.prompt))")
            return
        }
        await driver.send(.filterInput(String(users)))
        await driver.send(.answerPrompt(true))
    }

    @Test func removingOneUserIsTypedToConfirmDeletedAndJournaledWithRolesAndTeams() async {
        var users = Fixtures.team()
        users[3].teamIds = [Fixtures.id(900)]
        let driver = await driver(users)
        await driver.select(Fixtures.id(3))
        await driver.send(.stageRemovals)
        let edit = driver.state.pending[Fixtures.id(3)]
        #expect(edit?.isRemoval == true && edit?.target == [] && edit?.base == [.member, .billingAdmin])
        // API names where a script reads (`remove`, `set`), the console's where a person does.
        #expect(RoleText.diffLines(edit!) == ["REMOVE user3@example.com (ORG_MEMBER, ORG_BILLING_ADMIN)"])
        #expect(RoleText.diffLines(edit!, naming: .console) == ["REMOVE user3@example.com (Member, Billing Admin)"])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        // One removal, under the usual threshold of 25, still asks for the number.
        #expect(driver.service.membershipCalls.isEmpty)
        await typeCount(driver)
        #expect(driver.service.membershipCalls == [.removeOrgUser(orgId: Fixtures.orgId, userId: Fixtures.id(3))])
        #expect(driver.state.list.user(id: Fixtures.id(3)) == nil)
        let applied = driver.journal.filter { $0.outcome == .applied }
        #expect(applied.count == 1)
        #expect(applied.first?.call.method == "DELETE")
        #expect(applied.first?.before == [.member, .billingAdmin])
        #expect(applied.first?.after == [])
        #expect(applied.first?.teamIds == [Fixtures.id(900)])
        #expect(driver.journal.first?.outcome == .intent)
    }

    @Test func theLastActiveOwnerIsNeverRemoved() async {
        let driver = await driver()
        await driver.select(Fixtures.id(0))
        await driver.send(.stageRemovals)
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        if case .typeUserCount = driver.state.prompt { await typeCount(driver) }
        #expect(driver.state.flash?.text == RuleFinding.noOwnerLeft.message)
        #expect(driver.service.membershipCalls.isEmpty)
        #expect(driver.state.list.user(id: Fixtures.id(0)) != nil)
    }

    @Test func removingFiveMarkedUsersAndCancellingAnInvitationIsOneRun() async {
        let driver = await driver(Fixtures.team(count: 8))
        for n in [1, 2, 4, 5, 6] {
            await driver.select(Fixtures.id(n))
            await driver.send(.toggleMark)
        }
        await driver.send(.stageRemovals)
        #expect(driver.state.pending.count == 5)
        // User 4 is PENDING: its removal cancels the invitation.
        #expect(
            RoleText.diffLines(driver.state.pending[Fixtures.id(4)]!) == [
                "CANCEL INVITATION user4@example.com (ORG_READ_ONLY)"
            ])
        await driver.send(.openReview)
        #expect(driver.state.reviewSummary.lines.contains("remove from the organization: 5 user(s)"))
        await driver.send(.confirmApply)
        await typeCount(driver)
        #expect(Set(driver.service.membershipCalls.map(\.method)) == ["DELETE"])
        #expect(driver.service.membershipCalls.count == 5)
        #expect(driver.state.list.users.count == 3)
        #expect(driver.state.list.marked.isEmpty)
    }

    @Test func revertingARemovalStagesAnInvitationWithTheSameRolesAndTeams() async {
        var users = Fixtures.team()
        users[2] = Fixtures.user(2, [.member, .readOnly])
        users[2].teamIds = [Fixtures.id(901)]
        let driver = await driver(users)
        await driver.select(Fixtures.id(2))
        await driver.send(.stageRemovals)
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        await typeCount(driver)
        #expect(driver.state.list.user(id: Fixtures.id(2)) == nil)

        await driver.send(.openJournal)
        await driver.send(.activate)
        await driver.send(.activate)
        let key = PendingEdit.invitationKey(for: "user2@example.com")
        let invitation = driver.state.pending[key]
        #expect(invitation?.isInvitation == true)
        #expect(invitation?.target == [.member, .readOnly])
        #expect(invitation?.teamIds == [Fixtures.id(901)])
        #expect(invitation?.revertOf == "s1-1")
        #expect(RoleText.diffLines(invitation!) == ["INVITE user2@example.com (ORG_MEMBER, ORG_READ_ONLY) + 1 team"])
        #expect(
            RoleText.diffLines(invitation!, naming: .console) == [
                "INVITE user2@example.com (Member, Read Only) + 1 team"
            ])
        // An invitation is no removal: a `y` is enough below the threshold.
        await driver.send(.confirmApply)
        #expect(driver.state.prompt == nil)
        #expect(driver.service.membershipCalls.last == .createOrgUser(orgId: Fixtures.orgId))
        let invited = driver.state.list.users.indices.map { driver.state.list.users[$0] }
            .first { $0.username == "user2@example.com" }
        #expect(invited?.status == .pending && invited?.orgRoles == [.member, .readOnly])
        #expect(invited?.teamIds == [Fixtures.id(901)])
        let last = driver.journal.last
        #expect(last?.call.method == "POST" && last?.outcome == .applied && last?.revertOf == "s1-1")
        #expect(last?.invitedUserId == invited?.id)
    }

    @Test func anInvitationOfAMemberIsRefusedByTheServerAndJournaledAsRefused() async {
        let driver = await driver()
        let edit = PendingEdit.invitation(username: "USER1@example.com", roles: [.member], teamIds: [])
        await driver.send(.stageEdits([edit]))
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        if case .refused = driver.state.review.outcomes[edit.userId] {
        } else {
            Issue.record("not refused: \(String(describing: driver.state.review.outcomes[edit.userId]))")
        }
        #expect(driver.journal.last?.outcome == .refused)
        #expect(
            InvitationCheck.problems(
                ["USER1@example.com", "bad address", "new@example.com"], among: driver.state.list.users
            )
            .map(\.reason) == ["already a member of the organization", "not an email address"])
    }

    @Test func anInterruptedRemovalIsResolvedFromTheListAtStart() async {
        let call = APICall.removeOrgUser(orgId: Fixtures.orgId, userId: Fixtures.id(2))
        let intent = JournalEntry(
            time: Fixtures.time, batch: "s0-1", orgId: Fixtures.orgId, userId: Fixtures.id(2),
            username: "user2@example.com",
            before: [.member], after: [], call: call, outcome: .intent, teamIds: [])
        let users = Fixtures.team().filter { $0.id != Fixtures.id(2) }  // the DELETE arrived
        let service = FakeAtlasService(organizations: [Fixtures.org], users: [Fixtures.orgId: users])
        let driver = Driver(
            service: service, config: EditorConfig(orgId: Fixtures.orgId, sessionId: "s1"), journal: [intent])
        await driver.send(.start)
        #expect(driver.journal.last?.outcome == .applied)
        #expect(driver.journal.last?.confirmedByReread == true)
    }

    @Test func theChecklistHeaderNamesTeamsAndProjectRolesReadForTheUserOnScreen() async {
        var users = Fixtures.team()
        users[2].teamIds = [Fixtures.id(900), Fixtures.id(901)]
        users[2].projectRoles = [
            ProjectRoles(projectId: Fixtures.id(700), roles: ["GROUP_OWNER"]),
            ProjectRoles(projectId: Fixtures.id(701), roles: ["GROUP_READ_ONLY", "GROUP_DATA_ACCESS_READ_WRITE"]),
        ]
        let driver = await driver(users)
        driver.service.setNames(
            teams: [Team(id: Fixtures.id(900), name: "Platform")],
            projects: [
                Project(id: Fixtures.id(700), name: "production"), Project(id: Fixtures.id(701), name: "staging"),
            ])
        await driver.select(Fixtures.id(2))
        await driver.send(.openChecklist)
        let user = driver.state.list.user(id: Fixtures.id(2))!
        // The list keeps no project roles: they come from reading the user when the checklist opens.
        #expect(user.projectRoles.isEmpty)
        #expect(
            driver.state.membershipLines(for: user) == [
                "teams: Platform, \(Fixtures.id(901))",
                "projects: production (GROUP_OWNER); staging (GROUP_READ_ONLY, GROUP_DATA_ACCESS_READ_WRITE)",
            ])
        let reads = driver.effectsSeen.filter {
            if case .loadMembershipDetails = $0 { return true }
            if case .loadNames = $0 { return true }
            return false
        }
        #expect(
            reads == [
                .loadMembershipDetails(orgId: Fixtures.orgId, userId: Fixtures.id(2)),
                .loadNames(orgId: Fixtures.orgId),
            ])
        // Another user: read again; the names are not.
        await driver.select(Fixtures.id(3))
        await driver.send(.openChecklist)
        #expect(driver.effectsSeen.filter { if case .loadNames = $0 { return true } else { return false } }.count == 1)
        #expect(driver.effectsSeen.last == .loadMembershipDetails(orgId: Fixtures.orgId, userId: Fixtures.id(3)))
        #expect(driver.state.membershipLines(for: driver.state.list.user(id: Fixtures.id(2))!) == [])
    }

    @Test func theInviteFormRefusesBadAndExistingAddressesInlineThenStagesPendingRowsThatAreSent() async {
        let driver = await driver()
        driver.service.setNames(teams: [Team(id: Fixtures.id(900), name: "Platform")], projects: [])
        await driver.send(.openInviteForm)
        #expect(driver.effectsSeen.contains(.loadNames(orgId: Fixtures.orgId)))
        for line in ["ana.new@example.com", "not an address", "USER1@example.com"] {
            await driver.send(.filterInput(line))
            await driver.send(.inviteForm(.enter))
        }
        await driver.send(.inviteForm(.submit))
        #expect(
            driver.state.inviteForm?.problems.map(\.reason) == [
                "already a member of the organization", "not an email address",
            ])
        #expect(driver.state.pending.isEmpty)

        // Three good addresses, Member and Read Only, one team.
        await driver.send(.inviteForm(.cancel))
        #expect(driver.state.inviteForm == nil)
        await driver.send(.openInviteForm)
        for line in ["ana.new@example.com", "bo.new@example.com", " cy.new@example.com "] {
            await driver.send(.filterInput(line))
            await driver.send(.inviteForm(.enter))
        }
        await driver.send(.inviteForm(.nextField))
        await driver.send(.filterInput(String(repeating: "j", count: OrgRole.known.firstIndex(of: .readOnly)!) + " "))
        await driver.send(.inviteForm(.nextField))
        await driver.send(.filterInput(" "))
        await driver.send(.inviteForm(.enter))
        #expect(driver.state.inviteForm == nil)
        #expect(driver.state.pending.count == 3)
        let key = PendingEdit.invitationKey(for: "cy.new@example.com")
        #expect(driver.state.pending[key]?.target == [.member, .readOnly])
        #expect(driver.state.pending[key]?.teamIds == [Fixtures.id(900)])
        // Shown as PENDING rows before they are sent.
        #expect(driver.state.list.user(id: key)?.status == .pending)

        await driver.send(.openReview)
        await driver.send(.confirmApply)
        #expect(driver.service.membershipCalls == Array(repeating: .createOrgUser(orgId: Fixtures.orgId), count: 3))
        #expect(driver.state.list.user(id: key) == nil)
        let sent = driver.state.list.users.indices.map { driver.state.list.users[$0] }.filter {
            $0.username.hasSuffix(".new@example.com")
        }
        #expect(sent.count == 3 && sent.allSatisfy { $0.status == .pending && AtlasID.isValid($0.id) })
    }

    @Test func undoingAStagedInvitationTakesItsRowAwayAndIOnAnExpiredRowPrefills() async {
        var users = Fixtures.team()
        users.append(Fixtures.user(9, [.billingAdmin], status: .invitationExpired, email: "gone@example.com"))
        users[6].teamIds = [Fixtures.id(900)]
        let driver = await driver(users)
        await driver.send(.openInviteForm)
        await driver.send(.filterInput("temp@example.com"))
        await driver.send(.inviteForm(.submit))
        let key = PendingEdit.invitationKey(for: "temp@example.com")
        #expect(driver.state.list.user(id: key) != nil)
        await driver.send(.undo)
        #expect(driver.state.pending.isEmpty)
        #expect(driver.state.list.user(id: key) == nil)

        await driver.select(Fixtures.id(9))
        await driver.send(.openInviteForm)
        #expect(driver.state.inviteForm?.addresses == ["gone@example.com"])
        #expect(driver.state.inviteForm?.roles == [.billingAdmin])
        #expect(driver.state.inviteForm?.teamIds == [Fixtures.id(900)])
        await driver.send(.inviteForm(.submit))
        #expect(driver.state.pending[PendingEdit.invitationKey(for: "gone@example.com")]?.isInvitation == true)
    }
}
