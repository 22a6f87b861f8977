import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import RoleEditorRuntime
import Testing

@testable import RoleEditor

@Suite(.serialized) struct SandboxIntegrationTests {
    static func client(_ sandbox: AtlasSandbox) throws -> AtlasClient {
        var configuration = AtlasClientConfiguration(
            baseURL: sandbox.baseURL,
            credentials: .apiKey(
                publicKey: sandbox.credentials.apiKey.publicKey, privateKey: sandbox.credentials.apiKey.privateKey))
        configuration.retryPolicy = RetryPolicy(
            maxAttempts: 2, initialBackoff: 0.01, maximumBackoff: 0.05, maximumRetryAfter: 0.2)
        configuration.requestTimeout = Patience.scaled(10.0)
        return try AtlasClient(configuration: configuration)
    }

    /// A role the user does not hold yet (never ORG_OWNER), so toggling it adds it.
    static func missingRole(_ user: OrgUser) -> OrgRole {
        OrgRole.known.dropFirst().first { !user.orgRoles.contains($0) }!
    }

    @Test func appliesEditsThroughTheClientAndJournalsThem() async throws {
        let sandbox = try await AtlasSandbox.start(
            SandboxConfiguration(seed: 11, organizations: 1, usersPerOrganization: 80))
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir)
        let org = sandbox.organizations[0]
        let loop = LiveLoop(
            service: try Self.client(sandbox), store: store, config: EditorConfig(orgId: org.id, sessionId: "it"))

        loop.send(.start)
        loop.send(.resize(rows: 40, cols: 120))
        try #require(await loop.run { $0.list.progress.isComplete && $0.organization != nil })
        #expect(loop.state.list.users.count == org.userCount)
        #expect(loop.state.organization?.name == org.name)

        let active = try #require(loop.state.list.users.first { $0.status == .active && !$0.orgRoles.contains(.owner) })
        let pending = try #require(loop.state.list.users.first { $0.status == .pending })
        var targets: [String: Set<OrgRole>] = [:]
        for user in [active, pending] {
            let role = Self.missingRole(user)
            loop.select(user.id)
            loop.toggle(role)
            targets[user.id] = user.orgRoles.union([role])
        }
        #expect(loop.state.pending.count == 2)
        loop.send(.openReview)
        #expect(loop.state.reviewItems.map(\.call.method).sorted() == ["PATCH", "PUT"])
        loop.send(.confirmApply)
        #expect(await loop.run { $0.review.phase == .finished })

        for (id, target) in targets {
            #expect(
                loop.state.review.outcomes[id]?.isApplied == true,
                "\(String(describing: loop.state.review.outcomes[id]))")
            let server = await sandbox.orgUserRoles(orgId: org.id, userId: id)
            #expect(Set((server ?? []).map(OrgRole.init(rawValue:))) == target)
        }
        #expect(loop.state.pending.isEmpty)
        await loop.runner.waitUntilIdle()
        let journal = try store.loadJournal(orgId: org.id).filter { $0.outcome != .intent }
        #expect(journal.count == 2)
        #expect(Set(journal.map(\.call.method)) == ["PUT", "PATCH"])
        #expect(journal.allSatisfy { $0.outcome == .applied && $0.batch == "it-1" })
        #expect(try store.loadDraft(orgId: org.id) == nil)
        await loop.shutdown()
        try await sandbox.stop()
    }

    @Test func conflictsAndInjectedFaultsEndWithTheServerHoldingEveryEdit() async throws {
        let sandbox = try await AtlasSandbox.start(
            SandboxConfiguration(seed: 5, organizations: 1, usersPerOrganization: 60))
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir)
        let org = sandbox.organizations[0]
        let loop = LiveLoop(
            service: try Self.client(sandbox), store: store, config: EditorConfig(orgId: org.id, sessionId: "faults"))
        loop.send(.start)
        try #require(await loop.run { $0.list.progress.isComplete })

        // Twelve non-owners edited; one of them changes on the server behind the editor's back.
        let chosen = Array(loop.state.list.users.filter { !$0.orgRoles.contains(.owner) }.prefix(12))
        var targets: [String: Set<OrgRole>] = [:]
        for user in chosen {
            let role = Self.missingRole(user)
            loop.select(user.id)
            loop.toggle(role)
            targets[user.id] = user.orgRoles.union([role])
        }
        let drifted = chosen[0]
        _ = await sandbox.setOrgUserRoles(
            orgId: org.id, userId: drifted.id, roles: ["ORG_MEMBER", "ORG_BILLING_READ_ONLY"])
        await sandbox.setFaults(SandboxFaults(serverErrorRate: 0.3, resetRate: 0.1, faultSeed: 42))

        loop.send(.openReview)
        // Apply, re-base conflicts, retry, until nothing is pending. The drifted user is a conflict
        // once its re-read gets through (a fault may fail the re-read itself first).
        var sawConflict = false
        var rebasedAway: Set<String> = []
        var rounds = 0
        while !loop.state.pending.isEmpty && rounds < 30 {
            loop.send(.confirmApply)
            #expect(await loop.run { $0.review.phase == .finished })
            if loop.state.review.outcomes[drifted.id] == .conflict(server: [.member, .billingReadOnly]) {
                sawConflict = true
                // The re-base replays the edit's own added role on the other admin's set.
                targets[drifted.id] = Set<OrgRole>([.member, .billingReadOnly]).union(
                    targets[drifted.id]!.subtracting(drifted.orgRoles))
                loop.send(.rebaseConflicts)
                if loop.state.pending[drifted.id] == nil { rebasedAway = [drifted.id] }
            }
            rounds += 1
        }
        #expect(sawConflict)
        #expect(loop.state.pending.isEmpty)
        await sandbox.setFaults(SandboxFaults())
        for (id, target) in targets {
            let server = Set((await sandbox.orgUserRoles(orgId: org.id, userId: id) ?? []).map(OrgRole.init(rawValue:)))
            #expect(server == target, "user \(id)")
        }
        await loop.runner.waitUntilIdle()
        let applied = try store.loadJournal(orgId: org.id).filter { $0.outcome == .applied }
        // The journal lists every user written; the drifted one only if its re-based edit still
        // changed something (its added role may be the one the other admin added).
        #expect(Set(applied.map(\.userId)) == Set(targets.keys).subtracting(rebasedAway))
        #expect(try store.loadDraft(orgId: org.id) == nil)
        await loop.shutdown()
        try await sandbox.stop()
    }
}
