import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

@Suite struct JournalRevertTests {
    @Test func aBatchFromTheJournalBecomesPendingEditsThatRestoreIt() async {
        let service = FakeAtlasService(organizations: [Fixtures.org], users: [Fixtures.orgId: Fixtures.team()])
        let driver = Driver(service: service, config: EditorConfig(orgId: Fixtures.orgId, sessionId: "s1"))
        await driver.send(.start)
        // Run 1: two users change.
        for n in [1, 2] {
            await driver.select(Fixtures.id(n))
            await driver.toggle([.groupCreator])
        }
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        // Run 2: another change to user 1 only.
        await driver.select(Fixtures.id(1))
        await driver.toggle([.readOnly])
        await driver.send(.openReview)
        await driver.send(.confirmApply)
        #expect(driver.journal.filter { $0.outcome == .applied }.map(\.batch) == ["s1-1", "s1-1", "s1-2"])

        await driver.send(.openJournal)
        #expect(driver.state.pane == .journal)
        #expect(driver.state.journal.batches.map(\.id) == ["s1-2", "s1-1"])
        await driver.send(.moveCursor(1))
        // The first Enter shows the run; only the second stages its revert.
        await driver.send(.activate)
        #expect(driver.state.journal.openRun == 1)
        #expect(driver.state.pending.isEmpty)
        await driver.send(.activate)
        #expect(driver.state.pane == .review)
        // The review shows only the revert's edits, not the last run's outcomes beside them.
        #expect(driver.state.reviewCount == 2)
        // Base is what is loaded now; target is the journal's `before`.
        let edit1 = driver.state.pending[Fixtures.id(1)]
        #expect(edit1?.base == [.member, .groupCreator, .readOnly])
        #expect(edit1?.target == [.member])
        #expect(driver.state.pending[Fixtures.id(2)]?.target == [.member])
        await driver.send(.confirmApply)
        #expect(service.roles(orgId: Fixtures.orgId, userId: Fixtures.id(1)) == [.member])
        #expect(service.roles(orgId: Fixtures.orgId, userId: Fixtures.id(2)) == [.member])
        #expect(driver.journal.last?.batch == "s1-3")
        #expect(driver.journal.last?.revertOf == "s1-1")
        await driver.send(.openJournal)
        #expect(driver.state.journal.batches.first?.revertOf == "s1-1")
        #expect(driver.state.journal.batches.first?.outcomeCounts == "2 users: 2 applied")
    }

    @Test func groupingNewestFirstAndOnlyAppliedAreReverted() {
        let call = RoleWriteMethod.putRoles.call(orgId: Fixtures.orgId, userId: Fixtures.id(1))
        func entry(_ batch: String, _ t: Double, _ outcome: JournalEntry.Outcome) -> JournalEntry {
            JournalEntry(
                time: Date(timeIntervalSince1970: t), batch: batch, orgId: Fixtures.orgId, userId: Fixtures.id(1),
                username: "u", before: [.member], after: [.owner], call: call, outcome: outcome)
        }
        let batches = JournalBatch.grouping([entry("a", 1, .applied), entry("b", 5, .failed), entry("a", 2, .refused)])
        #expect(batches.map(\.id) == ["b", "a"])
        #expect(batches[1].entries.count == 2 && batches[1].applied.count == 1)
    }

    @Test func journalOfAnotherOrganizationIsNotListed() {
        var state = Fixtures.loaded(Fixtures.team())
        #expect(update(&state, .openJournal) == [.loadJournal(orgId: Fixtures.orgId)])
        let call = RoleWriteMethod.putRoles.call(orgId: "x", userId: Fixtures.id(1))
        let foreign = JournalEntry(
            time: Fixtures.time, batch: "z", orgId: "ffffffffffffffffffffffff", userId: Fixtures.id(1), username: "u",
            before: [], after: [], call: call, outcome: .applied)
        _ = update(&state, .journalLoaded(.success([foreign])))
        #expect(state.journal.batches.isEmpty)
        _ = update(&state, .journalLoaded(.failure(PersistenceError(operation: "read", path: "j", reason: "EIO"))))
        #expect(state.journal.error == "could not read j: EIO")
    }
}
