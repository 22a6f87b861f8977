import AtlasAPI
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Applies edits without a screen, through the screen's own ``update(_:_:)`` and ``EffectRunner``:
/// `atlas-roles set` gets the screen's rules, re-read and conflict check, write bound, error wrapping
/// and journal by construction, not by a second implementation that could drift.
///
/// ```swift
/// let apply = ScriptedApply(orgId: orgId, preferredMethod: .putRoles, service: client, runtime: runtime)
/// let result = await apply.run(edits, users: store) { edit, outcome in print(edit.username, outcome) }
/// ```
public struct ScriptedApply: Sendable {
    /// What became of a run.
    public struct Result: Sendable {
        /// Each edit's outcome, in the order the edits were given; nil for an edit never tried
        /// (a rule stopped the run).
        public var outcomes: [ApplyOutcome?]
        /// Why nothing was tried, when a rule stopped the run before the re-read.
        public var refusal: String?
        /// Journal writes that failed: the changes happened, the record of them did not.
        public var persistenceErrors: [PersistenceError]
    }

    public var orgId: String
    public var preferredMethod: RoleWriteMethod
    public var service: any AtlasService
    public var runtime: EditorRuntime
    /// Names this run's batch in the journal (`<sessionId>-1`).
    public var sessionId: String
    /// False only to measure what the write-ahead journal costs (`Benchmarks/RESULTS.md`): intents
    /// count as recorded at once and outcomes are not written, so an interrupted run leaves no trace.
    public var keepsJournal = true

    public init(
        orgId: String, preferredMethod: RoleWriteMethod, service: any AtlasService, runtime: EditorRuntime,
        sessionId: String = "set-" + String(UUID().uuidString.prefix(8)).lowercased()
    ) {
        self.orgId = orgId
        self.preferredMethod = preferredMethod
        self.service = service
        self.runtime = runtime
        self.sessionId = sessionId
    }

    /// Journals the outcome of writes an earlier run left without one (a kill, a hang-up), as the
    /// screen does at start: resolved against `users`, the organization's complete list as read now.
    /// A run that finds nothing left to change still closes what an interrupted one left open.
    public func reconcileInterrupted(users: UserStore) async {
        let leftovers = (try? runtime.store.loadJournal(orgId: orgId)).map(JournalEntry.unresolvedIntents) ?? []
        guard !leftovers.isEmpty else { return }
        var state = EditorState(
            config: EditorConfig(orgId: orgId, sessionId: sessionId, keepsDraft: false), loadedUsers: users)
        let runner = runtime.makeRunner(service: service) { _ in }
        runner.run(update(&state, .unresolvedIntentsFound(leftovers)))
        await runner.waitUntilIdle()
    }

    /// Applies `edits` over the organization's complete user list `users`.
    ///
    /// - Parameters:
    ///   - onOutcome: called once per edit as soon as it and every edit before it have an outcome,
    ///     so outcomes are reported in the order of `edits` (the order of the diff printed above them)
    ///     however the concurrent writes finish.
    ///   - onNotice: called once for each notice of the service (deprecation, the switch to the PATCH).
    public func run(
        _ edits: [PendingEdit], users: UserStore,
        onOutcome: (PendingEdit, ApplyOutcome) -> Void = { _, _ in },
        onNotice: (String) -> Void = { _ in }
    ) async -> Result {
        var state = EditorState(
            config: EditorConfig(
                orgId: orgId, preferredMethod: preferredMethod, sessionId: sessionId, keepsDraft: false,
                // The command line is the confirmation (`set` asks its own question, or is told --yes).
                typedConfirmationAbove: .max, typesToConfirmRemovals: false),
            loadedUsers: users)
        // A run an earlier `set` or screen left interrupted is resolved against the users just read,
        // as the screen does at start, before this run's re-read decides what is already done.
        await reconcileInterrupted(users: users)
        let (actions, inbox) = AsyncStream<Action>.makeStream()
        let runner = runtime.makeRunner(service: service) { inbox.yield($0) }
        _ = update(&state, .stageEdits(edits))
        let first = update(&state, .confirmApply)
        guard !first.isEmpty else {
            return Result(
                outcomes: edits.map { _ in nil }, refusal: state.flash?.text ?? "nothing to apply",
                persistenceErrors: [])
        }

        let perform: ([Effect]) -> Void =
            keepsJournal
            ? { runner.run($0) }
            : { effects in
                runner.run(
                    effects.filter { effect in
                        switch effect {
                        case .recordIntents(_, let batch):
                            inbox.yield(.intentsRecorded(batch: batch, failure: nil))
                            return false
                        case .appendJournal: return false
                        default: return true
                        }
                    })
            }
        runner.forwardServiceEvents()
        perform(first)

        var persistenceErrors: [PersistenceError] = []
        var reported = 0
        var noticesShown = 0
        func handle(_ action: Action) {
            if case .persistenceFailed(let error) = action { persistenceErrors.append(error) }
            perform(update(&state, action))
            while noticesShown < state.notices.count {
                onNotice(state.notices[noticesShown])
                noticesShown += 1
            }
            while reported < edits.count, let outcome = state.review.outcomes[edits[reported].userId] {
                onOutcome(edits[reported], outcome)
                reported += 1
            }
        }
        for await action in actions {
            handle(action)
            if state.review.phase == .finished { break }
        }
        // The journal lines of the last writes may still be on their way to the disk.
        await runner.waitUntilIdle()
        runner.cancelAll()
        inbox.finish()
        for await action in actions { handle(action) }
        return Result(
            outcomes: edits.map { state.review.outcomes[$0.userId] }, refusal: nil,
            persistenceErrors: persistenceErrors)
    }
}
