import AtlasAPI
import Foundation

@testable import RoleEditor

/// Runs the editor against a fake service deterministically: effects are executed one at a time,
/// in order, and their results fed back through `update`, as the real loop would but without threads.
final class Driver {
    var state: EditorState
    let service: FakeAtlasService
    private(set) var draft: Draft?
    private(set) var journal: [JournalEntry] = []
    private(set) var quitRequested = false
    /// Re-reads that went through the user list instead of one GET per user.
    private(set) var refetchedByListing = 0
    private(set) var effectsSeen: [Effect] = []
    private var queue: [Effect] = []
    private var clock = Fixtures.time

    init(service: FakeAtlasService, config: EditorConfig, draft: Draft? = nil, journal: [JournalEntry] = []) {
        self.service = service
        self.state = EditorState(config: config)
        self.draft = draft
        self.journal = journal
    }

    /// Sends an action and runs every effect that follows from it until nothing is left.
    func send(_ action: Action) async {
        queue += update(&state, action)
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            effectsSeen.append(effect)
            for result in await execute(effect) { queue += update(&state, result) }
        }
    }

    /// Puts the list cursor on a user, through `send` like key presses.
    func select(_ userId: String) async {
        while state.pane != .users { await send(.back) }
        guard let row = state.list.visible.firstIndex(where: { state.list.users[$0].id == userId }) else { return }
        await send(.top)
        await send(.moveCursor(row))
    }

    /// Opens the checklist, toggles `roles`, and goes back to the list, through `send`.
    func toggle(_ roles: [OrgRole]) async {
        await send(.openChecklist)
        for role in roles {
            await send(.top)
            await send(.moveCursor(OrgRole.known.firstIndex(of: role)!))
            await send(.toggleRole)
        }
        await send(.activate)
    }

    private func execute(_ effect: Effect) async -> [Action] {
        switch effect {
        case .loadOrganizations:
            return [.organizationsLoaded(await result { try await service.listOrganizations() })]
        case .loadOrganization(let id):
            return [.organizationLoaded(await result { try await service.organization(id: id) })]
        case .loadUsers(let orgId, let generation):
            var actions: [Action] = []
            do {
                for try await page in service.orgUsers(orgId: orgId) {
                    actions.append(.usersPageLoaded(page, generation: generation))
                }
                actions.append(.usersLoadFinished(generation: generation))
            } catch {
                actions.append(.usersLoadFailed(EffectRunner.atlasError(error), generation: generation))
            }
            return actions
        case .refetchUsers(let orgId, let ids, let batch, let byListing):
            // The runner's own listing; only the one-by-one reads are sequential here, for determinism.
            var results = byListing ? await EffectRunner.listed(ids, orgId: orgId, service: service) : [:]
            if byListing { refetchedByListing += 1 }
            for id in ids where results[id] == nil {
                results[id] = await result { try await service.orgUser(orgId: orgId, userId: id) }
            }
            return [.refetched(batch: batch, results: results)]
        case .writeRoles(let orgId, let userId, let roles, let method, let batch):
            let outcome = await result {
                try await service.writeOrgRoles(orgId: orgId, userId: userId, roles: roles, method: method)
            }
            clock += 1
            return [.writeFinished(userId: userId, result: outcome, batch: batch, finishedAt: clock)]
        case .loadDraft(let orgId):
            return [.draftFound(draft?.orgId == orgId ? draft : nil)]
        case .saveDraft(let saved):
            draft = saved
            return []
        case .deleteDraft:
            draft = nil
            return []
        case .appendJournal(let entries):
            journal += entries
            return []
        case .loadJournal:
            return [.journalLoaded(.success(journal))]
        case .quit:
            quitRequested = true
            return []
        }
    }

    private func result<T>(_ body: () async throws -> T) async -> Result<T, AtlasError> {
        do { return .success(try await body()) } catch { return .failure(EffectRunner.atlasError(error)) }
    }
}
