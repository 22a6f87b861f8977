import AtlasAPI
import AtlasSandbox
import Foundation
import RoleEditorRuntime
import Synchronization
import Testing

@testable import atlas_roles

/// `atlas-roles set` on many users: written concurrently, never more than
/// ``EffectRunner.maxConcurrentWrites`` at once, reported in a stable order.
@Suite struct SetConcurrencyTests {
    static let latencyMs = 60

    /// ACTIVE users who are neither owners nor billing admins, in the sandbox's order.
    func ordinaryUsers(_ harness: CommandHarness) async -> [SandboxUserSummary] {
        await harness.users().filter {
            $0.orgMembershipStatus == "ACTIVE" && !$0.orgRoles.contains("ORG_OWNER")
                && !$0.orgRoles.contains("ORG_BILLING_ADMIN")
        }
    }

    @Test func manyUsersAreWrittenConcurrentlyButBoundedAndReportedInOrder() async throws {
        try await withHarness(users: 200) { harness in
            let users = Array(await ordinaryUsers(harness).prefix(48).reversed())
            #expect(users.count == 48)
            let counter = InFlightCounter()
            await harness.sandbox.setFaults(SandboxFaults(latencyMs: Self.latencyMs))
            let result = try await harness.run(
                ["set"] + users.map(\.username) + ["--add", "ORG_BILLING_ADMIN", "--yes"],
                makeService: { CountingService(base: try AtlasClient(configuration: $0), counter: counter) })
            #expect(result.status == .success, "\(result.err)")
            #expect(result.out.contains("applied 48 of 48"))

            // Every user written, once.
            for user in users {
                let roles = try #require(await harness.sandbox.orgUserRoles(orgId: harness.orgId, userId: user.id))
                #expect(Set(roles) == Set(user.orgRoles + ["ORG_BILLING_ADMIN"]))
            }
            let writes = await harness.writes()
            #expect(writes.count == 48)
            #expect(writes.filter { $0.status == 200 }.count == 48)

            // Outcome lines in the order the users were named (the diff's order), not completion order.
            let appliedNames = result.out.split(separator: "\n").filter { $0.hasSuffix(": applied (PUT)") }
                .map { String($0.dropLast(": applied (PUT)".count)) }
            #expect(appliedNames == users.map(\.username))

            // Client side: the bound held, and was used.
            #expect(counter.maximum <= EffectRunner.maxConcurrentWrites)
            #expect(counter.maximum >= 2)

            // Server side: each request stays in flight at least the injected latency after it arrives,
            // so requests arriving within one latency of each other were out together. That lower bound
            // of the concurrency must be above 1 and must not exceed the bound.
            let perUser = await harness.sandbox.journal().filter { entry in
                entry.path.hasPrefix("/api/atlas/v2/orgs/\(harness.orgId)/users/")
            }
            let overlap = Self.maximumOverlap(
                arrivals: perUser.map(\.time), lasting: Double(Self.latencyMs) / 1000)
            #expect(overlap >= 2)
            #expect(overlap <= EffectRunner.maxConcurrentWrites)

            // Journaled, every one.
            let journal = harness.directory.appendingPathComponent("state/atlas-roles/journal-\(harness.orgId).jsonl")
            let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 48)
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
                        base: try AtlasClient(configuration: configuration), candidates: users.map(\.id),
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

    /// The most of `arrivals` whose intervals `[arrival, arrival + lasting)` overlap at one instant.
    static func maximumOverlap(arrivals: [Date], lasting: TimeInterval) -> Int {
        let times = arrivals.map(\.timeIntervalSinceReferenceDate).sorted()
        var most = 0
        var first = 0
        for (index, time) in times.enumerated() {
            while times[first] <= time - lasting { first += 1 }
            most = max(most, index - first + 1)
        }
        return most
    }
}

/// Counts the calls a service has out at once, and the most it ever had.
final class InFlightCounter: Sendable {
    private let state = Mutex((current: 0, maximum: 0))

    var maximum: Int { state.withLock { $0.maximum } }

    func track<T>(_ body: () async throws -> T) async rethrows -> T {
        state.withLock {
            $0.current += 1
            $0.maximum = max($0.maximum, $0.current)
        }
        defer { state.withLock { $0.current -= 1 } }
        return try await body()
    }
}

/// Forwards to the real client, counting the re-reads and writes in flight.
struct CountingService: AtlasService {
    let base: any AtlasService
    let counter: InFlightCounter

    func listOrganizations() async throws -> [Organization] { try await base.listOrganizations() }
    func organization(id: String) async throws -> Organization { try await base.organization(id: id) }
    func orgUsers(orgId: String) -> AsyncThrowingStream<UserPage, any Error> { base.orgUsers(orgId: orgId) }
    func orgUser(orgId: String, userId: String) async throws -> OrgUser {
        try await counter.track { try await base.orgUser(orgId: orgId, userId: userId) }
    }
    func writeOrgRoles(orgId: String, userId: String, roles: Set<OrgRole>, method: RoleWriteMethod) async throws
        -> RoleWriteResult
    {
        try await counter.track {
            try await base.writeOrgRoles(orgId: orgId, userId: userId, roles: roles, method: method)
        }
    }
    func events() -> AsyncStream<ServiceEvent> { base.events() }
}
