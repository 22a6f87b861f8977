import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

/// Edits one can trust: marks in sight, a crash-consistent journal, refusals that stop a run, large
/// reviews confirmed by typing, undo and redo.
@Suite struct TrustTests {
    func loadedDriver(users: [OrgUser] = Fixtures.team(), config: EditorConfig? = nil, journal: [JournalEntry] = [])
        async -> Driver
    {
        let service = FakeAtlasService(organizations: [Fixtures.org], users: [Fixtures.orgId: users], pageSize: 4)
        let driver = Driver(
            service: service, config: config ?? EditorConfig(orgId: Fixtures.orgId, sessionId: "s1"), journal: journal)
        await driver.send(.start)
        await driver.send(.resize(rows: 30, cols: 100))
        return driver
    }

    // MARK: Marks

    @Test func enterWithMarksHiddenByTheFilterIsRefusedNamingThem() {
        var state = Fixtures.loaded(Fixtures.team())
        for n in [1, 2, 3] {
            state.select(Fixtures.id(n))
            _ = update(&state, .toggleMark)
        }
        _ = update(&state, .filterBegin)
        _ = update(&state, .filterInput("user1@"))
        _ = update(&state, .filterCommit)
        #expect(state.headerText.contains("marked 3 (2 hidden)"))
        #expect(state.list.hiddenMarkedUsernames == ["user2@example.com", "user3@example.com"])
        _ = update(&state, .activate)
        #expect(state.pane == .users)
        #expect(state.checklist == nil)
        #expect(state.flash?.text.contains("2 of 3 marked users are hidden by the filter") == true)
        #expect(state.flash?.text.contains("user2@example.com, user3@example.com") == true)
        #expect(state.flash?.nextSteps == [.clearMarks])
        // With every mark in sight, Enter edits exactly the marked users and names them.
        _ = update(&state, .filterCancel)
        #expect(state.headerText.contains("marked 3") && !state.headerText.contains("hidden"))
        _ = update(&state, .activate)
        #expect(state.checklist?.userIds == [Fixtures.id(1), Fixtures.id(2), Fixtures.id(3)])
        #expect(state.flash?.text.hasPrefix("editing the marked 3 users (user1@example.com") == true)
        _ = update(&state, .back)
        _ = update(&state, .clearMarks)
        #expect(state.list.marked.isEmpty)
        #expect(state.flash?.text == "cleared 3 mark(s)")
    }

    @Test func marksOfAppliedUsersAreCleared() async {
        let driver = await loadedDriver()
        for n in [1, 2] {
            await driver.select(Fixtures.id(n))
            await driver.send(.toggleMark)
        }
        await driver.toggle([.readOnly])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        #expect(driver.state.list.marked.isEmpty)
    }

    // MARK: Write-ahead journal

    /// A crash after the write reached the server but before its outcome was journaled: the next start
    /// journals it as applied (found by the re-read), and the restored draft's edit is done, not a
    /// conflict, and not written again.
    @Test func anInterruptedWriteIsReconciledAndNotRepeated() async {
        let call = RoleWriteMethod.putRoles.call(orgId: Fixtures.orgId, userId: Fixtures.id(1))
        let intent = JournalEntry(
            time: Fixtures.time, batch: "old-1", orgId: Fixtures.orgId, userId: Fixtures.id(1),
            username: "user1@example.com", before: [.member], after: [.member, .readOnly], call: call,
            outcome: .intent)
        let lost = JournalEntry(
            time: Fixtures.time, batch: "old-1", orgId: Fixtures.orgId, userId: Fixtures.id(2),
            username: "user2@example.com", before: [.member], after: [.member, .readOnly], call: call,
            outcome: .intent)
        var users = Fixtures.team()
        users[1] = Fixtures.user(1, [.member, .readOnly])  // the server got user 1's write, not user 2's
        let edits = [1, 2].map { n in
            PendingEdit(
                userId: Fixtures.id(n), username: "user\(n)@example.com", status: .active, base: [.member],
                target: [.member, .readOnly])
        }
        let service = FakeAtlasService(organizations: [Fixtures.org], users: [Fixtures.orgId: users], pageSize: 4)
        let driver = Driver(
            service: service, config: EditorConfig(orgId: Fixtures.orgId, sessionId: "s2"),
            draft: Draft(orgId: Fixtures.orgId, edits: edits), journal: [intent, lost])
        await driver.send(.start)
        let resolved = driver.journal.filter { $0.confirmedByReread == true }
        #expect(resolved.map(\.userId) == [Fixtures.id(1), Fixtures.id(2)])
        #expect(resolved.map(\.outcome) == [.applied, .failed])
        #expect(JournalEntry.unresolvedIntents(driver.journal).isEmpty)
        // The draft is offered back; applying it writes only user 2.
        await driver.send(.answerPrompt(true))
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        #expect(driver.service.writes.map(\.userId) == [Fixtures.id(2)])
        #expect(driver.state.review.outcomes.values.allSatisfy { $0.isApplied })
        #expect(driver.state.flash?.text == "applied 2 (1 already on the server, not written again)")
    }

    /// Outcomes and the draft are saved in batches, not once per write.
    @Test func aLargeRunAppendsItsIntentsOnceAndItsOutcomesInBatches() async {
        let users = [Fixtures.user(0, [.owner])] + (1...200).map { Fixtures.user($0) }
        let driver = await loadedDriver(
            users: users, config: EditorConfig(orgId: Fixtures.orgId, sessionId: "s1", typedConfirmationAbove: .max))
        await driver.send(.markAllShown)
        await driver.toggle([.readOnly])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        #expect(driver.service.writes.count == 201)
        let appends = driver.effectsSeen.filter {
            if case .appendJournal = $0 { return true }
            return false
        }
        let intents = driver.effectsSeen.filter {
            if case .recordIntents = $0 { return true }
            return false
        }
        #expect(intents.count == 1)
        #expect(appends.count == (201 + EditorState.outcomesPerFlush - 1) / EditorState.outcomesPerFlush)
        #expect(driver.journal.filter { $0.outcome == .applied }.count == 201)
    }

    // MARK: Refusals that stop early

    @Test func aRefusalEveryWriteSharesStopsTheRun() async {
        let users = [Fixtures.user(0, [.owner])] + (1...40).map { Fixtures.user($0) }
        let driver = await loadedDriver(
            users: users, config: EditorConfig(orgId: Fixtures.orgId, sessionId: "s1", typedConfirmationAbove: .max))
        let unauthorized = Fixtures.apiError(401, "USER_UNAUTHORIZED")
        for n in 1...40 { driver.service.failNextWrites(of: Fixtures.id(n), with: [unauthorized]) }
        await driver.send(.markAllShown)
        await driver.toggle([.readOnly])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        // The serial driver answers one write at a time: the first refusal stops the sending, the
        // window already handed out answers too, and the rest are never sent.
        #expect(driver.service.writes.count == 1)
        #expect(driver.state.review.stoppedBy.map(OutcomeText.brief) == "401 USER_UNAUTHORIZED")
        let notSent = driver.state.review.outcomes.values.filter {
            if case .notSent = $0 { return true }
            return false
        }
        #expect(notSent.count == 41 - 1 - EditorState.writeWindow)
        // The owner's write, first in the review, went through; every other edit stays pending.
        #expect(driver.state.pending.count == 40)
        #expect(driver.state.flash?.text.hasPrefix("stopped: ") == true)
        #expect(driver.state.flash?.text.contains("401 USER_UNAUTHORIZED") == true)
        // Atlas answers a key without Organization Owner with 401 USER_UNAUTHORIZED: the hint says so.
        #expect(driver.state.flash?.text.contains("Organization Owner") == true)
        #expect(driver.state.flash?.nextSteps == [])
        let groups = driver.state.outcomeGroups
        #expect(groups.count == 1)
        #expect(groups.first?.headline.hasPrefix("\(EditorState.writeWindow) users: 401 USER_UNAUTHORIZED") == true)
        // The journal closes every intent: refused or not sent.
        #expect(JournalEntry.unresolvedIntents(driver.journal).isEmpty)
        #expect(driver.journal.filter { $0.outcome == .notSent }.count == notSent.count)
        // The list shows the server's roles, and the wanted change as not applied.
        let row = driver.state.userRow(at: 1)
        #expect(row.shownRoles == [.member])
        #expect(row.notApplied == "+Read Only not applied")
    }

    // MARK: Reviews at scale

    @Test func aLargeApplyAsksForTheNumberOfUsersToBeTyped() async {
        let users = [Fixtures.user(0, [.owner])] + (1...30).map { Fixtures.user($0) }
        let driver = await loadedDriver(users: users)
        await driver.send(.markAllShown)
        await driver.toggle([.billingAdmin])
        await driver.send(.openReview)
        #expect(driver.state.reviewSummary.lines.first == "31 user(s): +ORG_BILLING_ADMIN × 31")
        #expect(driver.state.reviewSummary.ownersBefore == 1 && driver.state.reviewSummary.ownersAfter == 1)
        await driver.send(.confirmApply)
        #expect(driver.state.prompt == .typeUserCount(users: 31, typed: ""))
        #expect(driver.service.writes.isEmpty)
        // A wrong number does not apply; letters are not typed at all.
        await driver.send(.filterInput("3y0"))
        await driver.send(.answerPrompt(true))
        #expect(driver.state.flash?.text == "not applied: 30 typed, 31 needed")
        #expect(driver.service.writes.isEmpty)
        await driver.send(.confirmApply)
        await driver.send(.filterInput("32"))
        await driver.send(.filterBackspace)
        await driver.send(.filterInput("1"))
        await driver.send(.answerPrompt(true))
        #expect(driver.service.writes.count == 31)
    }

    @Test func summaryGroupsThousands() {
        #expect(ReviewSummary.grouped(9_332) == "9,332")
        #expect(ReviewSummary.grouped(1_234_567) == "1,234,567")
        #expect(ReviewSummary.grouped(12) == "12")
    }

    // MARK: Undo, redo, drop

    @Test func dropRemovesOneEditAndRedoBringsBackWhatUndoTook() async {
        let driver = await loadedDriver()
        for n in [1, 2] {
            await driver.select(Fixtures.id(n))
            await driver.toggle([.readOnly])
        }
        await driver.send(.openReview)
        await driver.send(.top)
        await driver.send(.dropEdit)
        #expect(driver.state.pending.sorted.map(\.userId) == [Fixtures.id(2)])
        await driver.send(.undo)
        #expect(driver.state.pending.count == 2)
        await driver.send(.redo)
        #expect(driver.state.pending.sorted.map(\.userId) == [Fixtures.id(2)])
        await driver.send(.redo)
        #expect(driver.state.flash?.text == "nothing to redo")
        #expect(driver.draft?.edits.map(\.userId) == [Fixtures.id(2)])
    }
}
