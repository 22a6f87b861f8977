import AtlasAPI
import AtlasRolesTesting
import Foundation
import RoleEditorRuntime
import Testing

@testable import RoleEditor

/// Collects what the runner sends, as the screen's queue would.
final class ActionInbox: Sendable {
    private let actions = LockedValue<[Action]>([])
    var all: [Action] { actions.withLock { $0 } }
    func send(_ action: Action) { actions.withLock { $0.append(action) } }
}

@Suite struct EffectRunnerTests {
    @Test func loadsUsersPageByPageThenFinishes() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = FakeAtlasService(users: [Fixtures.orgId: Fixtures.team(count: 10)], pageSize: 4)
        let inbox = ActionInbox()
        let runner = EffectRunner(service: service, store: try StateStore(directory: dir), send: inbox.send)
        runner.run([.loadUsers(orgId: Fixtures.orgId, generation: 3)])
        await runner.waitUntilIdle()
        let pages = inbox.all.compactMap { action -> UserPage? in
            if case .usersPageLoaded(let page, 3) = action { return page }
            return nil
        }
        #expect(pages.map(\.users.count) == [4, 4, 2])
        #expect(inbox.all.last == .usersLoadFinished(generation: 3))
    }

    /// Role writes that go out together let the service learn the write budget first; a lone write
    /// does not (it needs no pacing, and the look-up would cost it a round trip).
    @Test func writesGoingOutTogetherAskTheServiceToPrepareOnce() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let users = Fixtures.team(count: 4)
        let service = FakeAtlasService(users: [Fixtures.orgId: users])
        let runner = EffectRunner(service: service, store: try StateStore(directory: dir), send: { _ in })
        let write = { (user: OrgUser) in
            Effect.writeRoles(orgId: Fixtures.orgId, userId: user.id, roles: [.readOnly], method: .patchUser, batch: 1)
        }
        runner.run([write(users[0])])
        await runner.waitUntilIdle()
        #expect(service.writePreparations.isEmpty)
        runner.run(users[1...].map(write))
        await runner.waitUntilIdle()
        #expect(service.writePreparations == [Fixtures.orgId])
        #expect(service.writes.count == 4)
    }

    @Test func loadFailureIsReportedAsAtlasError() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = FakeAtlasService(users: [Fixtures.orgId: Fixtures.team(count: 10)], pageSize: 4)
        service.failUserLoad(with: Fixtures.timeout)
        let inbox = ActionInbox()
        let runner = EffectRunner(service: service, store: try StateStore(directory: dir), send: inbox.send)
        runner.run([.loadUsers(orgId: Fixtures.orgId, generation: 1)])
        await runner.waitUntilIdle()
        #expect(inbox.all.last == .usersLoadFailed(Fixtures.timeout, generation: 1))
    }

    @Test func rereadByListingTakesUsersFromTheListAndReadsTheRestOneByOne() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = FakeAtlasService(users: [Fixtures.orgId: Fixtures.team(count: 10)], pageSize: 4)
        // The list breaks after its first page (users 0-3): users 6 and 9 must be read one by one.
        service.failUserLoad(with: Fixtures.timeout)
        // A scripted GET failure shows which path each user took: user 1's is never used (it came from
        // the list), user 6's is.
        service.failNextReads(of: Fixtures.id(1), with: [Fixtures.timeout])
        service.failNextReads(of: Fixtures.id(6), with: [Fixtures.timeout])
        let inbox = ActionInbox()
        let runner = EffectRunner(service: service, store: try StateStore(directory: dir), send: inbox.send)
        let ids = [1, 6, 9].map(Fixtures.id)
        runner.run([.refetchUsers(orgId: Fixtures.orgId, userIds: ids, batch: 4, byListing: true)])
        await runner.waitUntilIdle()
        guard case .refetched(4, let results) = inbox.all.last else {
            Issue.record("no .refetched: \(inbox.all)")
            return
        }
        #expect(Set(results.keys) == Set(ids))
        #expect(try results[Fixtures.id(1)]?.get().id == Fixtures.id(1))
        #expect(throws: AtlasError.self) { try results[Fixtures.id(6)]?.get() }
        #expect(try results[Fixtures.id(9)]?.get().id == Fixtures.id(9))
    }

    @Test func writesAreBoundedAndAllAnswer() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let users = (0..<20).map { Fixtures.user($0) }
        let gate = WriteGate()
        let service = FakeAtlasService(users: [Fixtures.orgId: users], gate: gate)
        let inbox = ActionInbox()
        let runner = EffectRunner(
            service: service, store: try StateStore(directory: dir), maxConcurrentWrites: 8, now: { Fixtures.time },
            send: inbox.send)
        runner.run(
            users.map {
                .writeRoles(orgId: Fixtures.orgId, userId: $0.id, roles: [.readOnly], method: .putRoles, batch: 1)
            })
        await gate.waitUntilInside(8)
        gate.open()
        await runner.waitUntilIdle()
        #expect(gate.maxInside == 8)
        #expect(service.writes.count == 20)
        let finished = inbox.all.filter {
            if case .writeFinished(_, .success, 1, Fixtures.time) = $0 { return true }
            return false
        }
        #expect(finished.count == 20)
    }

    @Test func refetchAnswersOnceWithEveryUser() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = FakeAtlasService(users: [Fixtures.orgId: Fixtures.team()])
        service.failNextReads(of: Fixtures.id(2), with: [Fixtures.timeout])
        let inbox = ActionInbox()
        let runner = EffectRunner(service: service, store: try StateStore(directory: dir), send: inbox.send)
        runner.run([.refetchUsers(orgId: Fixtures.orgId, userIds: [1, 2, 99].map(Fixtures.id), batch: 7)])
        await runner.waitUntilIdle()
        guard case .refetched(7, let results) = inbox.all.first, inbox.all.count == 1 else {
            Issue.record("expected one .refetched, got \(inbox.all)")
            return
        }
        #expect(try results[Fixtures.id(1)]?.get().id == Fixtures.id(1))
        #expect(results[Fixtures.id(2)].map { if case .failure = $0 { true } else { false } } == true)
        #expect(
            results[Fixtures.id(99)].map { if case .failure(let e) = $0 { e.status == 404 } else { false } } == true)
    }

    @Test func draftsAreWrittenInOrderAndJournalAppended() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir)
        let service = FakeAtlasService()
        let inbox = ActionInbox()
        let runner = EffectRunner(service: service, store: store, now: { Fixtures.time }, send: inbox.send)
        let edit = { (n: Int) in
            PendingEdit(userId: Fixtures.id(n), username: "u\(n)", status: .active, base: [.member], target: [.owner])
        }
        // Many saves fired at once: whatever order the tasks run in, the last asked for wins.
        for n in 1...30 {
            runner.run([.saveDraft(Draft(orgId: Fixtures.orgId, edits: (1...n).map(edit)))])
        }
        await runner.waitUntilIdle()
        #expect(try store.loadDraft(orgId: Fixtures.orgId)?.edits.count == 30)
        runner.run([.saveDraft(Draft(orgId: Fixtures.orgId, edits: [edit(1)])), .deleteDraft(orgId: Fixtures.orgId)])
        await runner.waitUntilIdle()
        #expect(try store.loadDraft(orgId: Fixtures.orgId) == nil)

        runner.run([.loadDraft(orgId: Fixtures.orgId), .loadJournal(orgId: Fixtures.orgId)])
        await runner.waitUntilIdle()
        #expect(inbox.all.contains(.draftFound(nil)))
        #expect(inbox.all.contains(.journalLoaded(.success([]))))
        #expect(runner.run([.quit]).isEmpty)
    }

    @Test func persistenceFailureComesBackAsAnAction() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir)
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: dir.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir.path) }
        // root ignores directory permissions; the test only means something for other users.
        guard getuid() != 0 else { return }
        let inbox = ActionInbox()
        let runner = EffectRunner(service: FakeAtlasService(), store: store, send: inbox.send)
        runner.run([.saveDraft(Draft(orgId: Fixtures.orgId, edits: []))])
        await runner.waitUntilIdle()
        guard case .persistenceFailed(let error) = inbox.all.first else {
            Issue.record("expected a failure, got \(inbox.all)")
            return
        }
        #expect(error.operation == "create")
    }

    @Test func serviceEventsAreForwarded() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = FakeAtlasService()
        let inbox = ActionInbox()
        let runner = EffectRunner(service: service, store: try StateStore(directory: dir), send: inbox.send)
        let forwarding = runner.forwardServiceEvents()
        service.emit(.switchedToPatch)
        service.finishEvents()
        await forwarding.value
        #expect(inbox.all == [.serviceEvent(.switchedToPatch)])
    }

    @Test func newUserLoadCancelsTheOlderOne() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = FakeAtlasService(users: [Fixtures.orgId: Fixtures.team(count: 50)], pageSize: 1)
        let inbox = ActionInbox()
        let runner = EffectRunner(service: service, store: try StateStore(directory: dir), send: inbox.send)
        let first = runner.run([.loadUsers(orgId: Fixtures.orgId, generation: 1)])
        runner.run([.loadUsers(orgId: Fixtures.orgId, generation: 2)])
        #expect(first[0].isCancelled)
        await runner.waitUntilIdle()
        #expect(inbox.all.last == .usersLoadFinished(generation: 2))
        #expect(!inbox.all.contains(.usersLoadFinished(generation: 1)))
    }
}
