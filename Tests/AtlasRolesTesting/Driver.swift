import AtlasAPI
import Foundation
import RoleEditorRuntime

@testable import RoleEditor

/// A serial scheduler over the runtime's ``EffectRunner/perform(_:sequence:send:)``: each effect is
/// carried out by the program's own interpreter, one at a time, in order, and its answers are fed back
/// through `update` before the next effect starts. Deterministic, and not a second implementation of
/// what effects do. Drafts and the journal go to a real ``StateStore`` in a temporary directory.
public final class Driver {
    public var state: EditorState
    public let service: FakeAtlasService
    public let store: StateStore
    private let runner: EffectRunner
    /// Re-reads that went through the user list instead of one GET per user.
    public private(set) var refetchedByListing = 0
    public private(set) var effectsSeen: [Effect] = []
    public private(set) var quitRequested = false
    private var queue: [Effect] = []

    /// - Parameters:
    ///   - draft, journal: files the store holds before the session starts (a crash's leftovers).
    public init(
        service: FakeAtlasService, config: EditorConfig, draft: Draft? = nil, journal: [JournalEntry] = [],
        directory: URL = temporaryDirectory()
    ) {
        self.service = service
        self.state = EditorState(config: config)
        self.store = try! StateStore(directory: directory)
        if let draft { try! store.saveDraft(draft, now: draft.savedAt ?? Fixtures.time) }
        if !journal.isEmpty { try! store.appendJournal(journal) }
        // Every stamp one second after the last: runs are ordered, and tests choose the start.
        let clock = LockedValue(Fixtures.time)
        self.runner = EffectRunner(
            service: service, store: store,
            now: {
                clock.withLock { time in
                    time += 1
                    return time
                }
            },
            send: { _ in })
    }

    deinit { try? FileManager.default.removeItem(at: store.directory) }

    /// The draft on disk for the state's organization.
    public var draft: Draft? {
        guard let orgId = state.orgId ?? state.config.orgId else { return nil }
        return try? store.loadDraft(orgId: orgId)
    }

    /// Every journal line on disk for the state's organization.
    public var journal: [JournalEntry] {
        guard let orgId = state.orgId ?? state.config.orgId else { return [] }
        return (try? store.loadJournal(orgId: orgId)) ?? []
    }

    /// Sends an action and runs every effect that follows from it until nothing is left.
    public func send(_ action: Action) async {
        queue += update(&state, action)
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            effectsSeen.append(effect)
            switch effect {
            case .quit: quitRequested = true
            case .refetchUsers(_, _, _, let byListing) where byListing: refetchedByListing += 1
            default: break
            }
            let answers = LockedValue<[Action]>([])
            await runner.perform(effect) { action in answers.withLock { $0.append(action) } }
            for answer in answers.withLock({ $0 }) { queue += update(&state, answer) }
        }
    }

    /// Puts the list cursor on a user, through `send` like key presses.
    public func select(_ userId: String) async {
        while state.pane != .users { await send(.back) }
        guard let row = state.list.visible.firstIndex(where: { state.list.users[$0].id == userId }) else { return }
        await send(.top)
        await send(.moveCursor(row))
    }

    /// Opens the checklist, toggles `roles`, and goes back to the list, through `send`.
    public func toggle(_ roles: [OrgRole]) async {
        await send(.openChecklist)
        for role in roles {
            await send(.top)
            await send(.moveCursor(OrgRole.known.firstIndex(of: role)!))
            await send(.toggleRole)
        }
        await send(.activate)
    }
}
