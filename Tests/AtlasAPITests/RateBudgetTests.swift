import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import AtlasAPI

/// Writes paced by the budget the server announces in `RateLimit-Limit` / `RateLimit-Remaining`.
@Suite("Rate budget")
struct RateBudgetTests {
    /// Eight writers at once against a bucket of 5: unpaced, loopback sends far more than the refill
    /// allows and the bucket refuses most writes beyond the first five; paced, the sandbox journal holds
    /// no 429 at all (a loaded machine included: the pacer's model never counts a token the server may
    /// not have) and the client said each time it waited for the budget. The slower refill gives a late
    /// write the longer gap to fall into.
    @Test(arguments: [40.0, 10.0])
    func writesPacedByTheServersBudgetTripNoRateLimit(refillPerSecond: Double) async throws {
        try await withSandbox(
            Self.smallBucket(refillPerSecond: refillPerSecond, users: refillPerSecond >= 40 ? 100 : 40)
        ) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let events = EventRecorder(client)
            let orgId = sandbox.firstOrgId
            let planned = await Self.roleAdditions(sandbox, orgId: orgId)
            try #require(planned.count >= 30)
            _ = try await Self.writeConcurrently(client, sandbox, prepared: false)
            let sent = await sandbox.apiRequests(method: "PATCH")
            let budgetWaits = events.recorded.filter { if case .budgetWait = $0 { true } else { false } }
            let refused = sent.filter { $0.status == 429 }.count
            #expect(
                refused == 0, "paced writes were refused by the rate limit \(refused) times: \(Self.timeline(sent))")
            #expect(sent.filter { $0.status == 200 }.count == planned.count)
            #expect(!budgetWaits.isEmpty, "the bucket is far smaller than the run: the client must have waited")
            #expect(!events.recorded.contains { if case .retryWait = $0 { true } else { false } })
            for write in planned {
                let held = await sandbox.orgUserRoles(orgId: orgId, userId: write.userId) ?? []
                #expect(Set(held) == Set(write.roles.map(\.rawValue)))
            }
        }
    }

    /// The write bucket read beforehand (`GET /rateLimits`): the pacer knows capacity and refill rate
    /// before the first write, so the first writes go as a burst of the bucket rather than one alone,
    /// and none of them, nor any later, is refused.
    @Test func theWriteBucketReadBeforehandPacesFromTheFirstWrite() async throws {
        try await withSandbox(Self.smallBucket()) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let events = EventRecorder(client)
            let planned = try await Self.writeConcurrently(client, sandbox, prepared: true)
            // Digest challenges (unauthenticated 401s) left out.
            let requests = await sandbox.apiRequests().filter(\.authenticated)
            let lookUps = requests.enumerated().filter { $0.element.path.hasSuffix("/rateLimits") }
            let firstWrite = requests.firstIndex { $0.method == "PATCH" }
            try #require(lookUps.count == 1, "one look-up of the bucket per client")
            #expect(lookUps[0].element.status == 200)
            #expect(lookUps[0].element.query.contains("orgId=\(sandbox.firstOrgId)"))
            #expect(firstWrite.map { lookUps[0].offset < $0 } == true, "the look-up comes before the first write")
            let writes = requests.filter { $0.method == "PATCH" }
            #expect(writes.filter { $0.status == 429 }.isEmpty, "refused: \(Self.timeline(writes))")
            #expect(writes.filter { $0.status == 200 }.count == planned)
            #expect(client.executor.writePacer.sentBeforeFirstAnswer > 1, "the first write went alone")
            #expect(client.executor.writePacer.refillPerSecond == 40)
            #expect(!events.recorded.contains { if case .retryWait = $0 { true } else { false } })
        }
    }

    /// A key that may not read the rate limits (Atlas: 401 `USER_UNAUTHORIZED`) loses nothing: the
    /// refusal is silent, the first write goes alone and the headers pace the rest.
    @Test func aRefusedBucketLookUpFallsBackToTheHeaders() async throws {
        var configuration = Self.smallBucket()
        configuration.faults.rateLimitsRefused = true
        try await withSandbox(configuration) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let events = EventRecorder(client)
            let planned = try await Self.writeConcurrently(client, sandbox, prepared: true)
            let requests = await sandbox.apiRequests().filter(\.authenticated)
            #expect(requests.filter { $0.path.hasSuffix("/rateLimits") }.map(\.status) == [401])
            let writes = requests.filter { $0.method == "PATCH" }
            #expect(writes.filter { $0.status == 429 }.isEmpty, "refused: \(Self.timeline(writes))")
            #expect(writes.filter { $0.status == 200 }.count == planned)
            #expect(client.executor.writePacer.sentBeforeFirstAnswer == 1)
            #expect(!events.recorded.contains { if case .retryWait = $0 { true } else { false } })
        }
    }

    /// A bucket of 5 for writes and one organization of `users`.
    private static func smallBucket(refillPerSecond: Double = 40, users: Int = 40) -> SandboxConfiguration {
        SandboxConfiguration(
            organizations: 1, usersPerOrganization: users,
            faults: SandboxFaults(
                rateLimit: SandboxRateLimit(capacity: 5, refillPerSecond: refillPerSecond, scope: .writes),
                retryAfterSeconds: 1))
    }

    /// A role added for every active user, eight writes at a time; answers how many writes were made.
    private static func writeConcurrently(_ client: AtlasClient, _ sandbox: AtlasSandbox, prepared: Bool) async throws
        -> Int
    {
        let orgId = sandbox.firstOrgId
        let planned = await roleAdditions(sandbox, orgId: orgId)
        if prepared { client.prepareForWrites(orgId: orgId) }
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
        return planned.count
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
            #expect(client.executor.writePacer.refillPerSecond == nil)
        }
    }

    /// The journal's writes as milliseconds from the first and status, for a failure's message.
    static func timeline(_ entries: [SandboxJournalEntry]) -> String {
        guard let first = entries.first?.time else { return "" }
        return entries.map { "\(Int(($0.time.timeIntervalSince(first) * 1000).rounded())):\($0.status)" }
            .joined(separator: " ")
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
