import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

@Suite struct ApplyTests {
    func loadedDriver(users: [OrgUser] = Fixtures.team(), method: RoleWriteMethod = .putRoles) async -> Driver {
        let service = FakeAtlasService(organizations: [Fixtures.org], users: [Fixtures.orgId: users], pageSize: 4)
        let driver = Driver(
            service: service, config: EditorConfig(orgId: Fixtures.orgId, preferredMethod: method, sessionId: "s1"))
        await driver.send(.start)
        await driver.send(.resize(rows: 30, cols: 100))
        return driver
    }

    @Test func applyRereadsWritesAndRecordsEverything() async {
        let driver = await loadedDriver()
        #expect(driver.state.list.progress.isComplete)
        #expect(driver.state.organization == Fixtures.org)
        await driver.select(Fixtures.id(1))
        await driver.toggle([.groupCreator])
        await driver.select(Fixtures.id(4))
        await driver.toggle([.member])
        #expect(driver.draft?.edits.count == 2)
        await driver.send(.openReview)
        let items = driver.state.reviewItems
        #expect(items.map(\.edit.userId) == [Fixtures.id(1), Fixtures.id(4)])
        #expect(items[0].diff == ["+Project Creator"])
        #expect(items[0].call.method == "PUT")
        // PENDING users are written with the PATCH.
        #expect(items[1].call.method == "PATCH")
        await driver.send(.confirmApply)
        #expect(driver.state.review.phase == .finished)
        #expect(driver.state.pending.isEmpty)
        #expect(driver.draft == nil)
        #expect(driver.service.roles(orgId: Fixtures.orgId, userId: Fixtures.id(1)) == [.member, .groupCreator])
        #expect(driver.service.roles(orgId: Fixtures.orgId, userId: Fixtures.id(4)) == [.readOnly, .member])
        #expect(driver.service.writes.map(\.method) == [.putRoles, .patchUser])
        #expect(driver.state.list.user(id: Fixtures.id(1))?.orgRoles == [.member, .groupCreator])
        // Applied edits stay listed in the review with their outcome.
        #expect(driver.state.reviewItems.count == 2)
        #expect(driver.state.reviewItems.allSatisfy { $0.outcome?.isApplied == true })
        // Written ahead: both intents, in one append, before the first outcome.
        #expect(driver.journal.map(\.outcome) == [.intent, .intent, .applied, .applied])
        let entry = driver.journal[2]
        #expect(entry.outcome == .applied && entry.orgId == Fixtures.orgId && entry.batch == "s1-1")
        #expect(entry.before == [.member] && entry.after == [.member, .groupCreator])
        #expect(entry.username == "user1@example.com" && entry.call.method == "PUT")
        #expect(driver.state.flash?.text == "applied 2")
        #expect(driver.state.flash?.nextSteps == [])
        // Applied edits cannot come back through undo.
        await driver.send(.undo)
        #expect(driver.state.pending.isEmpty)
    }

    /// Atlas counts single-user reads and list pages against one budget: the re-read lists the users
    /// when the list has fewer pages than the run has users, and reads them one by one otherwise.
    @Test func rereadListsTheUsersWhenThatTakesFewerRequests() {
        func rereadEffect(editing count: Int, of users: Int) -> Effect? {
            var state = Fixtures.loaded((0..<users).map { Fixtures.user($0) })
            for n in 1...count {
                state.select(Fixtures.id(n))
                state.toggle([.readOnly])
            }
            _ = update(&state, .openReview)
            return update(&state, .confirmApply).first
        }
        func byListing(_ effect: Effect?) -> Bool? {
            if case .refetchUsers(_, _, _, let byListing) = effect { return byListing }
            return nil
        }
        #expect(byListing(rereadEffect(editing: 1, of: 6)) == false)  // one GET either way: the single read
        #expect(byListing(rereadEffect(editing: 2, of: 6)) == true)  // one page instead of two GETs
        #expect(byListing(rereadEffect(editing: 3, of: 1_200)) == false)  // three pages, three GETs
        #expect(byListing(rereadEffect(editing: 4, of: 1_200)) == true)
    }

    @Test func aNewEditOfAnAppliedUserIsNotLabelledApplied() async {
        let driver = await loadedDriver()
        await driver.select(Fixtures.id(1))
        await driver.toggle([.readOnly])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        #expect(driver.state.review.outcomes[Fixtures.id(1)]?.isApplied == true)
        // Edited again (or reverted from the journal): the new edit has not been sent.
        await driver.send(.back)
        await driver.select(Fixtures.id(1))
        await driver.toggle([.readOnly])
        let items = driver.state.reviewItems.filter { $0.edit.userId == Fixtures.id(1) }
        #expect(items.count == 2, "the pending edit, then the last run's applied one")
        #expect(items.first?.outcome == nil)
        #expect(items.last?.outcome?.isApplied == true)
        let row = driver.state.visibleUserRows.first { $0.user.id == Fixtures.id(1) }
        #expect(row?.edit != nil)
        #expect(row?.outcome == nil)
    }

    @Test func conflictIsNotWrittenAndCanBeRebased() async {
        let driver = await loadedDriver()
        await driver.select(Fixtures.id(2))
        await driver.toggle([.readOnly])
        await driver.select(Fixtures.id(1))
        await driver.toggle([.readOnly])
        // Someone else changes user 2 on the server meanwhile.
        driver.service.setRoles(orgId: Fixtures.orgId, userId: Fixtures.id(2), roles: [.member, .billingReadOnly])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        // Two users of a one-page organization: the re-read went through the list, and found the change.
        #expect(driver.refetchedByListing == 1)
        #expect(driver.state.review.outcomes[Fixtures.id(2)] == .conflict(server: [.member, .billingReadOnly]))
        #expect(driver.state.review.outcomes[Fixtures.id(1)]?.isApplied == true)
        #expect(driver.service.writes.map(\.userId) == [Fixtures.id(1)])
        #expect(driver.state.pending[Fixtures.id(2)] != nil)
        #expect(driver.draft?.edits.map(\.userId) == [Fixtures.id(2)])
        let conflictItem = driver.state.reviewItems.first { $0.edit.userId == Fixtures.id(2) }!
        #expect(
            OutcomeText.detailLines(conflictItem.outcome!, edit: conflictItem.edit) == [
                "loaded: ORG_MEMBER", "server: ORG_MEMBER, ORG_BILLING_READ_ONLY", "wanted: ORG_MEMBER, ORG_READ_ONLY",
            ])
        // The list shows what the server holds now.
        #expect(driver.state.list.user(id: Fixtures.id(2))?.orgRoles == [.member, .billingReadOnly])
        #expect(driver.state.flash?.nextSteps == [.rebaseConflicts])
        await driver.send(.rebaseConflicts)
        #expect(driver.state.flash?.nextSteps == [.apply])
        // The edit's own +ORG_READ_ONLY is replayed on the server's roles: the other admin's
        // ORG_BILLING_READ_ONLY survives.
        #expect(driver.state.pending[Fixtures.id(2)]?.base == [.member, .billingReadOnly])
        #expect(driver.state.pending[Fixtures.id(2)]?.target == [.member, .billingReadOnly, .readOnly])
        #expect(driver.state.reviewItems.first { $0.edit.userId == Fixtures.id(2) }?.diff == ["+Read Only"])
        await driver.send(.confirmApply)
        #expect(
            driver.service.roles(orgId: Fixtures.orgId, userId: Fixtures.id(2)) == [
                .member, .billingReadOnly, .readOnly,
            ])
        #expect(driver.state.pending.isEmpty)
    }

    /// The server already holds the edit's target (our own write before a crash, or the same change
    /// by another admin): done, not a conflict, and not written again.
    @Test func anEditTheServerAlreadyHoldsIsDoneWithoutAWrite() async {
        let driver = await loadedDriver()
        await driver.select(Fixtures.id(2))
        await driver.toggle([.readOnly])
        driver.service.setRoles(orgId: Fixtures.orgId, userId: Fixtures.id(2), roles: [.member, .readOnly])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        #expect(driver.state.review.outcomes[Fixtures.id(2)]?.isApplied == true)
        #expect(driver.service.writes.isEmpty)
        #expect(driver.state.pending.isEmpty)
        #expect(driver.draft == nil)
        #expect(driver.state.flash?.text == "applied 1 (1 already on the server, not written again)")
    }

    @Test func rebaseDropsAnEditTheServerAlreadyHas() async {
        let driver = await loadedDriver()
        await driver.select(Fixtures.id(2))
        await driver.toggle([.readOnly])
        // Another admin added Read Only and Billing Read Only: the edit's +ORG_READ_ONLY is a no-op there.
        driver.service.setRoles(
            orgId: Fixtures.orgId, userId: Fixtures.id(2), roles: [.member, .readOnly, .billingReadOnly])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        #expect(
            driver.state.review.outcomes[Fixtures.id(2)] == .conflict(server: [.member, .readOnly, .billingReadOnly]))
        await driver.send(.rebaseConflicts)
        #expect(driver.state.pending.isEmpty)
        #expect(driver.draft == nil)
        #expect(
            driver.state.flash?.text
                == "re-based 0 edit(s) on the server's roles; 1 already held on the server, dropped")
    }

    @Test func rebaseReplaysARemovalAndKeepsTheOtherAdminsAddition() async {
        let driver = await loadedDriver()
        await driver.select(Fixtures.id(1))
        await driver.toggle([.member, .readOnly])  // -ORG_MEMBER +ORG_READ_ONLY
        driver.service.setRoles(orgId: Fixtures.orgId, userId: Fixtures.id(1), roles: [.member, .groupCreator])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        await driver.send(.rebaseConflicts)
        #expect(driver.state.pending[Fixtures.id(1)]?.target == [.groupCreator, .readOnly])
        await driver.send(.confirmApply)
        #expect(driver.service.roles(orgId: Fixtures.orgId, userId: Fixtures.id(1)) == [.groupCreator, .readOnly])
    }

    @Test func partialFailuresStayPendingAndRetrySucceeds() async {
        let driver = await loadedDriver()
        for n in [1, 2, 3] {
            await driver.select(Fixtures.id(n))
            await driver.toggle([.readOnly])
        }
        let refusal = Fixtures.apiError(400, "VALIDATION_ERROR", detail: "Invalid \u{1B}[31mrole")
        driver.service.failNextWrites(of: Fixtures.id(2), with: [refusal])
        driver.service.failNextWrites(of: Fixtures.id(3), with: [Fixtures.timeout])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        let outcomes = driver.state.review.outcomes
        #expect(outcomes[Fixtures.id(1)]?.isApplied == true)
        guard case .refused(let refused) = outcomes[Fixtures.id(2)] else {
            Issue.record("expected a refusal, got \(String(describing: outcomes[Fixtures.id(2)]))")
            return
        }
        // The envelope survives whole, and is sanitized for display.
        #expect(refused.envelope?.errorCode == "VALIDATION_ERROR")
        #expect(refused.envelope?.badRequestDetail?.fields.first?.field == "orgRoles")
        let lines = OutcomeText.errorLines(refused)
        #expect(lines.contains("status: 400"))
        #expect(lines.contains("errorCode: VALIDATION_ERROR"))
        #expect(lines.contains("detail: Invalid ␛[31mrole"))
        #expect(lines.contains("reason: Bad Request"))
        #expect(lines.contains("parameters: ORG_OWNER"))
        #expect(lines.contains("field orgRoles: is invalid"))
        #expect(lines.first?.hasPrefix("call: PUT /orgs/") == true)
        guard case .failed = outcomes[Fixtures.id(3)] else {
            Issue.record("expected a failure")
            return
        }
        #expect(driver.state.pending.count == 2)
        #expect(driver.journal.map(\.outcome) == [.intent, .intent, .intent, .applied, .refused, .failed])
        #expect(driver.state.flash?.text == "applied 1, refused 1, failed 1")
        // Only the failure in transit is worth sending again; the refusal is offered no retry.
        #expect(driver.state.flash?.nextSteps == [.retryFailed])
        // Retry sends only the refused and failed ones again.
        await driver.send(.retryFailed)
        #expect(driver.service.writes.map(\.userId) == [1, 2, 3].map(Fixtures.id))
        #expect(driver.state.pending.isEmpty)
        #expect(driver.draft == nil)
        #expect(
            driver.service.roles(orgId: Fixtures.orgId, userId: Fixtures.id(3)) == [.member, .billingAdmin, .readOnly])
    }

    @Test func rereadFailureIsAFailureAndNothingIsWritten() async {
        let driver = await loadedDriver()
        await driver.select(Fixtures.id(1))
        await driver.toggle([.readOnly])
        driver.service.failNextReads(of: Fixtures.id(1), with: [Fixtures.timeout])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        guard case .failed = driver.state.review.outcomes[Fixtures.id(1)] else {
            Issue.record("expected failed")
            return
        }
        #expect(driver.service.writes.isEmpty)
        await driver.send(.retryFailed)
        #expect(driver.state.pending.isEmpty)
    }

    @Test func versionGoneSwitchesToPatchForTheSession() async {
        let driver = await loadedDriver()
        driver.service.setPutVersionGone(true)
        await driver.select(Fixtures.id(1))
        await driver.toggle([.readOnly])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        // The service redid the PUT as a PATCH and reported it; the editor hears it as an event.
        await driver.send(.serviceEvent(.switchedToPatch))
        #expect(driver.journal.first { $0.outcome == .applied }?.call.method == "PATCH")
        #expect(driver.state.switchedToPatch)
        #expect(driver.state.notices.count == 1)
        await driver.select(Fixtures.id(2))
        await driver.toggle([.readOnly])
        #expect(driver.state.reviewItems.first { $0.edit.userId == Fixtures.id(2) }?.call.method == "PATCH")
        await driver.send(.serviceEvent(.switchedToPatch))
        #expect(driver.state.notices.count == 1)
    }

    @Test func preferredPatchIsUsedForActiveUsers() async {
        let driver = await loadedDriver(method: .patchUser)
        await driver.select(Fixtures.id(1))
        await driver.toggle([.readOnly])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        #expect(driver.service.writes.map(\.method) == [.patchUser])
    }

    @Test func invitationAcceptedSinceLoadingIsWrittenWithPut() async {
        let driver = await loadedDriver()
        await driver.select(Fixtures.id(4))
        await driver.toggle([.member])
        #expect(driver.state.reviewItems.first?.call.method == "PATCH")
        // Accepting the invitation is a status change the re-read sees; the roles are unchanged.
        driver.service.setStatus(orgId: Fixtures.orgId, userId: Fixtures.id(4), status: .active)
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        #expect(driver.service.writes.map(\.method) == [.putRoles])
    }

    @Test func editsAreRefusedWhileARunIsOut() {
        var state = Fixtures.loaded(Fixtures.team())
        state.select(Fixtures.id(1))
        state.toggle([.readOnly])
        _ = update(&state, .openReview)
        _ = update(&state, .confirmApply)
        #expect(state.review.isRunning)
        #expect(update(&state, .undo).isEmpty)
        #expect(state.pending.count == 1)
        #expect(update(&state, .confirmApply).isEmpty)
        #expect(StatusText.phase(state.review.phase) == "re-reading 1 user(s) before writing…")
        // An answer to an older run is ignored.
        #expect(update(&state, .refetched(batch: 0, results: [:])).isEmpty)
        let intents = update(&state, .refetched(batch: 1, results: [Fixtures.id(1): .success(Fixtures.user(1))]))
        // Nothing is sent before the intent is on disk.
        guard case .recordIntents(let entries, batch: 1) = intents.first, intents.count == 1 else {
            Issue.record("expected the intents first: \(intents)")
            return
        }
        #expect(entries.map(\.userId) == [Fixtures.id(1)] && entries.allSatisfy { $0.outcome == .intent })
        let effects = update(&state, .intentsRecorded(batch: 1, failure: nil))
        #expect(
            effects == [
                .writeRoles(
                    orgId: Fixtures.orgId, userId: Fixtures.id(1), roles: [.member, .readOnly], method: .putRoles,
                    batch: 1)
            ])
        #expect(state.review.phase == .writing(done: 0, total: 1))
        #expect(state.reviewItems.first?.isInFlight == true)
    }

    @Test func rateLimitWaitsShowOnTheStatusLine() {
        var state = Fixtures.loaded(Fixtures.team())
        let call = RoleWriteMethod.putRoles.call(orgId: Fixtures.orgId, userId: Fixtures.id(1))
        _ = update(&state, .serviceEvent(.retryWait(call: call, seconds: 55, attempt: 2, reason: "429 RATE_LIMITED")))
        #expect(state.statusLine == "waiting 55s before retrying \(call): 429 RATE_LIMITED (attempt 2)")
        let sunset = Date(timeIntervalSince1970: 1_814_400_000)  // 2027-07-01
        _ = update(&state, .serviceEvent(.deprecation(call: call, deprecation: nil, sunset: sunset)))
        #expect(state.flash?.text == "PUT \(call.path) (2023-01-01) is deprecated; sunset 2027-07-01")
        _ = update(&state, .serviceEvent(.deprecation(call: call, deprecation: nil, sunset: sunset)))
        #expect(state.notices.count == 1)
    }
}
