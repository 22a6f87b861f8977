import AtlasAPI
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Executes effects concurrently against an ``AtlasService`` and a ``StateStore``, answering with actions.
///
/// The screen's main loop owns the state and calls ``run(_:)`` with what `update` returned; results
/// come back through `send`, which must hand them to that loop (it is called from any thread).
/// Writes are bounded (``maxConcurrentWrites``); a new user load cancels the older one; draft saves
/// are applied in the order they were asked for, and a save overtaken by a newer one is skipped.
///
/// What an effect does lives in one place, ``perform(_:sequence:send:)``: ``run(_:)`` starts it
/// concurrently for the screen and the scripting commands, and a test's serial scheduler awaits it
/// one effect at a time, so tests and the program share one interpreter of effects.
///
/// ```swift
/// let runner = EffectRunner(service: client, store: store) { action in queue.push(action) }
/// runner.forwardServiceEvents()
/// runner.run(update(&state, .start))
/// ```
public final class EffectRunner: EffectRunning {
    /// Role writes (and one-by-one re-reads) out at once, for every front end: enough to hide the API's
    /// latency, few enough not to flood its rate limit.
    public static let maxConcurrentWrites = 8

    private let service: any AtlasService
    private let files: DraftAndJournalWriter
    private let send: @Sendable (Action) -> Void
    private let writeSlots: AsyncSemaphore
    private let now: @Sendable () -> Date
    private let bookkeeping = LockedValue(Bookkeeping())

    private struct Bookkeeping {
        var userLoad: Task<Void, Never>?
        var eventForwarding: Task<Void, Never>?
        var draftSequence = 0
        var running: [Int: Task<Void, Never>] = [:]
        var nextTaskId = 0
    }

    /// - Parameters:
    ///   - maxConcurrentWrites: role writes (and re-reads) out at once; tests lower it to see the bound.
    ///   - now: the clock stamped on journal entries and drafts (injectable for tests).
    public init(
        service: any AtlasService, store: StateStore, maxConcurrentWrites: Int = EffectRunner.maxConcurrentWrites,
        now: @escaping @Sendable () -> Date = { Date() }, send: @escaping @Sendable (Action) -> Void
    ) {
        self.service = service
        self.files = DraftAndJournalWriter(store: store)
        self.send = send
        self.writeSlots = AsyncSemaphore(limit: maxConcurrentWrites)
        self.now = now
    }

    /// Starts every effect; returns their tasks (tests await them; the screen ignores them).
    /// ``Effect/quit`` is the screen's to act on and is skipped here.
    @discardableResult
    public func run(_ effects: [Effect]) -> [Task<Void, Never>] {
        // Role writes going out together: the service may learn the write budget first, so they are
        // paced from the first one (a lone write needs no pacing).
        var writesByOrg: [String: Int] = [:]
        for case .writeRoles(let orgId, _, _, _, _) in effects { writesByOrg[orgId, default: 0] += 1 }
        for (orgId, count) in writesByOrg where count > 1 { service.prepareForWrites(orgId: orgId) }
        return effects.compactMap(start)
    }

    /// Forwards ``AtlasService/events()`` as `.serviceEvent` actions until the service ends them.
    @discardableResult
    public func forwardServiceEvents() -> Task<Void, Never> {
        let events = service.events()
        let send = self.send
        // Not tracked: it lives as long as the service, and `waitUntilIdle` is about effects.
        let task = Task {
            for await event in events { send(.serviceEvent(event)) }
        }
        bookkeeping.withLock { $0.eventForwarding = task }
        return task
    }

    /// Waits for every effect started so far to finish (event forwarding is not an effect: it runs on).
    public func waitUntilIdle() async {
        while let task = bookkeeping.withLock({ $0.running.values.first }) {
            await task.value
        }
    }

    /// Cancels every running effect and the event forwarding (shutdown).
    public func cancelAll() {
        let tasks = bookkeeping.withLock { Array($0.running.values) + [$0.eventForwarding].compactMap { $0 } }
        for task in tasks { task.cancel() }
    }

    /// A number for a draft save or delete, in the order they were asked for: a save that reaches the
    /// disk after a newer one is skipped.
    public func nextDraftSequence() -> Int {
        bookkeeping.withLock { state in
            state.draftSequence += 1
            return state.draftSequence
        }
    }

    // MARK: Effects

    private func start(_ effect: Effect) -> Task<Void, Never>? {
        switch effect {
        case .quit:
            return nil
        case .loadUsers:
            let task = track { [send] in await self.perform(effect, send: send) }
            let previous = bookkeeping.withLock { state in
                defer { state.userLoad = task }
                return state.userLoad
            }
            previous?.cancel()
            return task
        case .saveDraft, .deleteDraft:
            let sequence = nextDraftSequence()
            return track { [send] in await self.perform(effect, sequence: sequence, send: send) }
        default:
            return track { [send] in await self.perform(effect, send: send) }
        }
    }

    /// Carries out one effect and sends the actions that answer it, in order, as they happen (a user
    /// load sends each page as it arrives). Returns when the effect is done.
    ///
    /// - Parameter sequence: for draft saves and deletes, their place in the order they were asked
    ///   for (``nextDraftSequence()``); nil takes the next number.
    public func perform(_ effect: Effect, sequence: Int? = nil, send: @Sendable (Action) -> Void) async {
        let service = self.service
        let files = self.files
        switch effect {
        case .quit:
            return
        case .loadOrganizations:
            send(.organizationsLoaded(await Self.result { try await service.listOrganizations() }))
        case .loadOrganization(let id):
            send(.organizationLoaded(await Self.result { try await service.organization(id: id) }))
        case .loadUsers(let orgId, let generation):
            do {
                for try await page in service.orgUsers(orgId: orgId) {
                    try Task.checkCancellation()
                    send(.usersPageLoaded(page, generation: generation))
                }
                send(.usersLoadFinished(generation: generation))
            } catch {
                // A cancelled load was replaced by a newer one, whose generation makes this one moot.
                if Task.isCancelled { return }
                send(.usersLoadFailed(Self.atlasError(error), generation: generation))
            }
        case .refetchUsers(let orgId, let userIds, let batch, let byListing):
            let slots = writeSlots
            var results = byListing ? await Self.listed(userIds, orgId: orgId, service: service) : [:]
            let remaining = userIds.filter { results[$0] == nil }
            let fetched = await withTaskGroup(of: (String, Result<OrgUser, AtlasError>).self) { group in
                for id in remaining {
                    group.addTask {
                        await slots.acquire()
                        let result = await Self.result { try await service.orgUser(orgId: orgId, userId: id) }
                        await slots.release()
                        return (id, result)
                    }
                }
                var fetched: [String: Result<OrgUser, AtlasError>] = [:]
                for await (id, result) in group { fetched[id] = result }
                return fetched
            }
            results.merge(fetched) { _, new in new }
            send(.refetched(batch: batch, results: results))
        case .writeRoles(let orgId, let userId, let roles, let method, let batch):
            await writeSlots.acquire()
            var result = await Self.result {
                try await service.writeOrgRoles(orgId: orgId, userId: userId, roles: roles, method: method)
            }
            if case .failure(let error) = result, let call = error.call, Self.isUnreadableSuccess(error) {
                result = await Self.confirmByReread(
                    error, call: call, orgId: orgId, userId: userId, roles: roles, method: method, service: service)
            }
            await writeSlots.release()
            send(.writeFinished(userId: userId, result: result, batch: batch, finishedAt: now()))
        case .removeUser(let orgId, let userId, let batch):
            await writeSlots.acquire()
            let result = await Self.result {
                MembershipWriteResult.removed(
                    call: try await Self.membership(service).removeOrgUser(orgId: orgId, userId: userId))
            }
            await writeSlots.release()
            send(.membershipWriteFinished(userId: userId, result: result, batch: batch, finishedAt: now()))
        case .inviteUser(let orgId, let invitation, let key, let batch):
            await writeSlots.acquire()
            let result = await Self.result {
                MembershipWriteResult.invited(
                    try await Self.membership(service).inviteOrgUser(orgId: orgId, invitation: invitation),
                    call: .createOrgUser(orgId: orgId))
            }
            await writeSlots.release()
            send(.membershipWriteFinished(userId: key, result: result, batch: batch, finishedAt: now()))
        case .loadMembershipDetails(let orgId, let userId):
            send(
                .membershipDetailsLoaded(
                    userId: userId, await Self.result { try await service.orgUser(orgId: orgId, userId: userId) }))
        case .loadNames(let orgId):
            send(
                .namesLoaded(
                    await Self.result {
                        let membership = try Self.membership(service)
                        async let teams = membership.listTeams(orgId: orgId)
                        async let projects = membership.listProjects(orgId: orgId)
                        return OrganizationNames(
                            teams: Dictionary(try await teams.map { ($0.id, $0.name) }) { first, _ in first },
                            projects: Dictionary(try await projects.map { ($0.id, $0.name) }) { first, _ in first })
                    }))
        case .loadDraft(let orgId):
            // What a crash left: a run's intents without outcomes first, so they are resolved against
            // the users as loaded before the draft is offered back.
            if case .success(let entries) = await files.loadJournal(orgId: orgId) {
                let unresolved = JournalEntry.unresolvedIntents(entries)
                if !unresolved.isEmpty { send(.unresolvedIntentsFound(unresolved)) }
            }
            switch await files.loadDraft(orgId: orgId) {
            case .success(let draft): send(.draftFound(draft))
            case .failure(let error): send(.persistenceFailed(error))
            }
        case .saveDraft, .deleteDraft:
            if let error = await files.apply(effect, sequence: sequence ?? nextDraftSequence(), now: now()) {
                send(.persistenceFailed(error))
            }
        case .appendJournal(let entries):
            if let error = await files.append(entries) { send(.persistenceFailed(error)) }
        case .recordIntents(let entries, let batch):
            let time = now()
            let stamped = entries.map { entry in
                var entry = entry
                entry.time = time
                return entry
            }
            send(.intentsRecorded(batch: batch, failure: await files.append(stamped)))
        case .loadJournal(let orgId):
            send(.journalLoaded(await files.loadJournal(orgId: orgId)))
        }
    }

    /// The users of `userIds` that the organization's user list holds, read page by page. Whatever the
    /// list does not deliver (a user it lacks, a page that failed) is left out, for the caller to read
    /// one by one, each with its own outcome.
    static func listed(_ userIds: [String], orgId: String, service: any AtlasService) async
        -> [String: Result<OrgUser, AtlasError>]
    {
        let wanted = Set(userIds)
        var results: [String: Result<OrgUser, AtlasError>] = [:]
        do {
            for try await page in service.orgUsers(orgId: orgId) {
                for user in page.users where wanted.contains(user.id) { results[user.id] = .success(user) }
            }
        } catch {
            // What arrived before the failure is kept; the rest is read one by one.
        }
        return results
    }

    /// The service's membership calls, or the refusal of a service that has none (a read-only double).
    static func membership(_ service: any AtlasService) throws -> any AtlasMembershipService {
        guard let membership = service as? any AtlasMembershipService else {
            throw AtlasError(.configuration("this service cannot invite or remove users"))
        }
        return membership
    }

    /// Starts `body` as a task that ``waitUntilIdle()`` knows about until it ends.
    private func track(_ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        let id = bookkeeping.withLock { state in
            state.nextTaskId += 1
            return state.nextTaskId
        }
        // The task is registered before it can finish: the lock is held across creation and insertion.
        return bookkeeping.withLock { state in
            let task = Task { [weak self] in
                await body()
                self?.bookkeeping.withLock { _ = $0.running.removeValue(forKey: id) }
            }
            state.running[id] = task
            return task
        }
    }

    // MARK: Errors

    /// A 2xx whose body could not be read (or was of another API version): the server took the write.
    static func isUnreadableSuccess(_ error: AtlasError) -> Bool {
        if case .malformedResponse(let status, _, _) = error.kind { return (200..<300).contains(status) }
        return false
    }

    /// The write was answered 2xx but its body could not be read: the server says it applied it, so it
    /// must not be journaled as failed (`J` could then never revert it). A read of the user confirms
    /// it: the roles written make it applied. Anything else (the read fails too, or finds other roles)
    /// keeps the failure, which the next run's re-read resolves as for any write in doubt.
    private static func confirmByReread(
        _ error: AtlasError, call: APICall, orgId: String, userId: String, roles: Set<OrgRole>,
        method: RoleWriteMethod, service: any AtlasService
    ) async -> Result<RoleWriteResult, AtlasError> {
        guard let user = try? await service.orgUser(orgId: orgId, userId: userId), user.orgRoles == roles else {
            return .failure(error)
        }
        return .success(RoleWriteResult(orgRoles: user.orgRoles, call: call, method: method, confirmedByReread: true))
    }

    private static func result<T: Sendable>(_ body: () async throws -> T) async -> Result<T, AtlasError> {
        do { return .success(try await body()) } catch { return .failure(atlasError(error)) }
    }

    /// Every failure as an ``AtlasError``: the service's own, cancellation, or anything else as transport.
    public static func atlasError(_ error: any Error) -> AtlasError {
        if let error = error as? AtlasError { return error }
        if error is CancellationError { return AtlasError(.cancelled) }
        return AtlasError(.transport(curlCode: 0, message: SafeText.sanitized("\(error)")))
    }
}

/// Serializes file work: drafts in the order asked (stale saves skipped), journal appends one at a time.
actor DraftAndJournalWriter {
    private let store: StateStore
    private var lastDraftSequence = 0

    init(store: StateStore) { self.store = store }

    func apply(_ effect: Effect, sequence: Int, now: Date) -> PersistenceError? {
        // Tasks may reach the actor out of order; the newest request is the state to keep.
        guard sequence > lastDraftSequence else { return nil }
        lastDraftSequence = sequence
        do {
            switch effect {
            case .saveDraft(let draft): try store.saveDraft(draft, now: now)
            case .deleteDraft(let orgId): try store.deleteDraft(orgId: orgId)
            default: break
            }
            return nil
        } catch {
            return error
        }
    }

    func append(_ entries: [JournalEntry]) -> PersistenceError? {
        do {
            try store.appendJournal(entries)
            return nil
        } catch {
            return error
        }
    }

    func loadDraft(orgId: String) -> Result<Draft?, PersistenceError> {
        Result { () throws(PersistenceError) in try store.loadDraft(orgId: orgId) }
    }

    func loadJournal(orgId: String) -> Result<[JournalEntry], PersistenceError> {
        Result { () throws(PersistenceError) in try store.loadJournal(orgId: orgId) }
    }
}
