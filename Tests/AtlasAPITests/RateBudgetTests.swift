import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import AtlasAPI

/// Writes paced by the budget the server announces in `RateLimit-Limit` / `RateLimit-Remaining`.
@Suite("Rate budget")
struct RateBudgetTests {
    /// Eight writers at once against a bucket of 5 that refills 40 a second: unpaced, loopback sends
    /// far more than 40 a second and the bucket refuses some; paced, the sandbox journal holds no 429
    /// and the client said each time it waited for the budget.
    @Test func writesPacedByTheServersBudgetTripNoRateLimit() async throws {
        try await withSandbox(
            SandboxConfiguration(
                organizations: 1, usersPerOrganization: 100,
                faults: SandboxFaults(
                    rateLimit: SandboxRateLimit(capacity: 5, refillPerSecond: 40, scope: .writes),
                    retryAfterSeconds: 1))
        ) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let events = EventRecorder(client)
            let orgId = sandbox.firstOrgId
            let planned = await Self.roleAdditions(sandbox, orgId: orgId)
            try #require(planned.count >= 40)
            let lanes = 8
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<lanes {
                    let mine = stride(from: lane, to: planned.count, by: lanes).map { planned[$0] }
                    group.addTask {
                        for write in mine {
                            _ = try await client.writeOrgRoles(
                                orgId: orgId, userId: write.userId, roles: write.roles, method: .patchUser)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let sent = await sandbox.apiRequests(method: "PATCH")
            let budgetWaits = events.recorded.filter { if case .budgetWait = $0 { true } else { false } }
            // Unpaced, most of the writes beyond the bucket's 5 are refused. Paced, none should be; a loaded
            // machine may delay a write past the refill the pacer counted on, so one or two are tolerated.
            let refused = sent.filter { $0.status == 429 }.count
            #expect(refused <= 2, "paced writes were refused by the rate limit \(refused) times")
            #expect(sent.filter { $0.status == 200 }.count == planned.count)
            #expect(!budgetWaits.isEmpty, "the bucket is far smaller than the run: the client must have waited")
            #expect(events.recorded.filter { if case .retryWait = $0 { true } else { false } }.count <= refused)
            for write in planned {
                let held = await sandbox.orgUserRoles(orgId: orgId, userId: write.userId) ?? []
                #expect(Set(held) == Set(write.roles.map(\.rawValue)))
            }
        }
    }

    /// Without the headers (no limit set) nothing is paced.
    @Test func anUnlimitedServerIsNotPaced() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let events = EventRecorder(client)
            let orgId = sandbox.firstOrgId
            for write in await Self.roleAdditions(sandbox, orgId: orgId).prefix(10) {
                _ = try await client.writeOrgRoles(
                    orgId: orgId, userId: write.userId, roles: write.roles, method: .patchUser)
            }
            #expect(events.recorded.isEmpty)
            #expect(client.executor.writePacer.measuredRefillPerSecond == nil)
        }
    }

    /// A write for every active user: the roles they hold (so no last owner is removed) plus one.
    private static func roleAdditions(_ sandbox: AtlasSandbox, orgId: String) async
        -> [(userId: String, roles: Set<OrgRole>)]
    {
        var writes: [(userId: String, roles: Set<OrgRole>)] = []
        for userId in await sandbox.userIds(orgId: orgId) {
            guard let user = await sandbox.user(orgId: orgId, userId: userId), user.orgMembershipStatus == "ACTIVE"
            else { continue }
            writes.append((userId, Set(user.orgRoles.map(OrgRole.init(rawValue:))).union([.billingReadOnly])))
        }
        return writes
    }
}
