import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import RoleEditorRuntime
import Testing

@testable import atlas_roles

/// `atlas-roles set` on many users: written concurrently, never more than
/// ``EffectRunner.maxConcurrentWrites`` at once, reported in a stable order.
///
/// Proven from counters and the sandbox's journal, never from elapsed time: a ``WriteGate`` holds
/// every write until a full bound of them is out together, then lets them finish one by one in the
/// reverse of the order the users were named.
@Suite struct SetConcurrencyTests {
    /// ACTIVE users who are neither owners nor billing admins, in the sandbox's order.
    func ordinaryUsers(_ harness: CommandHarness) async -> [SandboxUserSummary] {
        await harness.users().filter {
            $0.orgMembershipStatus == "ACTIVE" && !$0.orgRoles.contains("ORG_OWNER")
                && !$0.orgRoles.contains("ORG_BILLING_ADMIN")
        }
    }

    @Test func manyUsersAreWrittenConcurrentlyButBoundedAndReportedInOrder() async throws {
        try await withHarness(users: 200) { harness in
            let bound = EffectRunner.maxConcurrentWrites
            let users = Array(await ordinaryUsers(harness).prefix(6 * bound).reversed())
            #expect(users.count == 6 * bound)
            let gate = WriteGate(batch: bound, namedOrder: users.map(\.id))
            let result = try await harness.run(
                ["set"] + users.map(\.username) + ["--add", "ORG_BILLING_ADMIN", "--yes"],
                makeService: { GatedService(base: try AtlasClient(configuration: $0), gate: gate) })
            #expect(result.status == .success, "\(result.err)")
            #expect(result.out.contains("applied \(users.count) of \(users.count)"))

            // Every user written, once.
            for user in users {
                let roles = try #require(await harness.sandbox.orgUserRoles(orgId: harness.orgId, userId: user.id))
                #expect(Set(roles) == Set(user.orgRoles + ["ORG_BILLING_ADMIN"]))
            }
            let writes = await harness.writes().filter { $0.status == 200 }
            #expect(writes.count == users.count)

            // The bound was reached and never passed: a full bound of writes was out at once (the gate
            // lets none finish before), and never one more.
            #expect(gate.maximumInFlight == bound)
            #expect(gate.batchesReleased == users.count / bound)

            // The server received the writes in the order the gate let them finish, which is not the
            // order the users were named...
            let byId = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0) })
            let written = writes.compactMap { entry in byId.keys.first { entry.path.contains($0) } }
            #expect(written == gate.finishOrder)
            #expect(written != users.map(\.id))
            // ...yet the outcome lines follow the named order (the diff's order), not completion order.
            let appliedNames = result.out.split(separator: "\n").filter { $0.hasSuffix(": applied (PUT)") }
                .map { String($0.dropLast(": applied (PUT)".count)) }
            #expect(appliedNames == users.map(\.username))

            // Journaled, every one.
            let journal = harness.directory.appendingPathComponent("state/atlas-roles/journal-\(harness.orgId).jsonl")
            let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n")
            // Written ahead: one intent and one outcome per user.
            #expect(lines.count == 2 * users.count)
            #expect(lines.filter { $0.contains("\"outcome\":\"applied\"") }.count == users.count)
            #expect(Set(users.map(\.id)).allSatisfy { id in lines.contains { $0.contains(id) } })
        }
    }

    @Test func conflictsAmongManyAreReportedInOrderAndThePartIsApplied() async throws {
        try await withHarness(users: 200) { harness in
            // Changed behind the back to ORG_READ_ONLY, which must differ from what they hold.
            let users = Array(await ordinaryUsers(harness).filter { $0.orgRoles != ["ORG_READ_ONLY"] }.prefix(20))
            let changed = Set(users.enumerated().filter { $0.offset % 5 == 2 }.map(\.element.id))
            let sandbox = harness.sandbox
            let orgId = harness.orgId
            await sandbox.setFaults(SandboxFaults(latencyMs: 20))
            let result = try await harness.run(
                ["set"] + users.map(\.username) + ["--add", "ORG_BILLING_ADMIN", "--yes"],
                makeService: { configuration in
                    ChangingBehindTheBack(
                        base: try AtlasClient(configuration: configuration), candidates: Array(changed),
                        change: { userId in
                            guard changed.contains(userId) else { return }
                            _ = await sandbox.setOrgUserRoles(orgId: orgId, userId: userId, roles: ["ORG_READ_ONLY"])
                        })
                })
            #expect(result.status == .partlyApplied, "\(result.err)")
            #expect(result.out.contains("applied 16 of 20: 4 conflicts"))
            let conflicted = result.err.split(separator: "\n").filter {
                $0.hasSuffix(": conflict: changed on the server")
            }
            .map { String($0.dropFirst("atlas-roles: ".count).dropLast(": conflict: changed on the server".count)) }
            #expect(conflicted == users.filter { changed.contains($0.id) }.map(\.username))
            let applied = result.out.split(separator: "\n").filter { $0.hasSuffix(": applied (PUT)") }
                .map { String($0.dropLast(": applied (PUT)".count)) }
            #expect(applied == users.filter { !changed.contains($0.id) }.map(\.username))
            for user in users {
                let roles = await sandbox.orgUserRoles(orgId: orgId, userId: user.id)
                #expect(
                    roles.map(Set.init)
                        == (changed.contains(user.id) ? ["ORG_READ_ONLY"] : Set(user.orgRoles + ["ORG_BILLING_ADMIN"])))
            }
        }
    }
}

/// Holds role writes until `batch` of them are out together, then lets them finish one at a time, the
/// user named last first, while the next writes gather behind them.
///
/// With a correct bound the count of writes out at once reaches `batch` exactly; a looser bound
/// would pass it, and a tighter one would never fill a batch: then, so that the test fails instead of
/// hanging, a batch that stops growing for a long while is let go as it is. That wait is a guard
/// against a hang, not a measure: nothing asserts how long anything took.
final class WriteGate: Sendable {
    struct Held {
        var rank: Int
        var resume: CheckedContinuation<Void, Never>
    }

    struct State {
        var inFlight = 0
        var maximum = 0
        /// Writes that arrived and wait for their batch to fill.
        var gathering: [Held] = []
        /// The batch being let go: each write lets the next go when it finishes.
        var releasing: [Held] = []
        var batches = 0
        var finished: [String] = []
        var lastArrival = ContinuousClock.now
        /// Set once a batch never filled: writes then pass without waiting.
        var isOpen = false
    }

    let batch: Int
    private let rank: [String: Int]
    private let state = LockedValue(State())

    init(batch: Int, namedOrder: [String]) {
        self.batch = batch
        rank = Dictionary(uniqueKeysWithValues: namedOrder.enumerated().map { ($1, $0) })
    }

    /// The most writes that were out at once.
    var maximumInFlight: Int { state.withLock { $0.maximum } }
    /// How many batches were let go.
    var batchesReleased: Int { state.withLock { $0.batches } }
    /// User ids in the order their writes finished.
    var finishOrder: [String] { state.withLock { $0.finished } }

    func write<T>(userId: String, _ body: () async throws -> T) async rethrows -> T {
        let watchdog = Task {
            // Only a broken bound leaves a batch unfilled; see the type's comment.
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                state.withLock { state in
                    if state.releasing.isEmpty && !state.gathering.isEmpty
                        && ContinuousClock.now - state.lastArrival > .seconds(20)
                    {
                        // The bound is broken and the test fails on the maximum: from now on, let
                        // every write through at once instead of waiting again for each batch.
                        state.isOpen = true
                        for held in state.gathering { held.resume.resume() }
                        state.gathering = []
                    }
                }
            }
        }
        defer { watchdog.cancel() }
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.inFlight += 1
                state.maximum = max(state.maximum, state.inFlight)
                state.lastArrival = .now
                if state.isOpen { return continuation }
                state.gathering.append(Held(rank: rank[userId] ?? -1, resume: continuation))
                guard state.releasing.isEmpty, state.gathering.count >= batch else { return nil }
                return Self.releaseBatch(&state)
            }
            ready?.resume()
        }
        defer {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.inFlight -= 1
                state.finished.append(userId)
                if !state.releasing.isEmpty { return state.releasing.removeFirst().resume }
                return state.gathering.count >= batch ? Self.releaseBatch(&state) : nil
            }
            next?.resume()
        }
        return try await body()
    }

    /// Moves the gathered writes to the releasing ones, named last first, and returns the first to go.
    private static func releaseBatch(_ state: inout State) -> CheckedContinuation<Void, Never>? {
        state.releasing = state.gathering.sorted { $0.rank > $1.rank }
        state.gathering = []
        state.batches += 1
        return state.releasing.isEmpty ? nil : state.releasing.removeFirst().resume
    }
}

/// Forwards to the real client; role writes go through a ``WriteGate``.
struct GatedService: AtlasService {
    let base: any AtlasService
    let gate: WriteGate

    func listOrganizations() async throws -> [Organization] { try await base.listOrganizations() }
    func organization(id: String) async throws -> Organization { try await base.organization(id: id) }
    func orgUsers(orgId: String) -> AsyncThrowingStream<UserPage, any Error> { base.orgUsers(orgId: orgId) }
    func orgUser(orgId: String, userId: String) async throws -> OrgUser {
        try await base.orgUser(orgId: orgId, userId: userId)
    }
    func writeOrgRoles(orgId: String, userId: String, roles: Set<OrgRole>, method: RoleWriteMethod) async throws
        -> RoleWriteResult
    {
        try await gate.write(userId: userId) {
            try await base.writeOrgRoles(orgId: orgId, userId: userId, roles: roles, method: method)
        }
    }
    func events() -> AsyncStream<ServiceEvent> { base.events() }
}
