import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Logging
import RoleEditor
import RoleEditorRuntime
import Testing

@testable import atlas_roles

/// `atlas-roles set` and the screen apply through one path: the same change to the same users of two
/// identical sandboxes, once from the command line and once through the screen's update loop, must
/// leave the same journal, send the same requests and respect the same write bound.
@Suite struct OneApplyPathTests {
    /// Twelve ordinary users get Billing Admin; two of them were changed by another admin just before
    /// the re-read, so both paths must report the same two conflicts and write the other ten.
    @Test func setAndTheScreenLeaveTheSameJournalAndRequests() async throws {
        try await withHarness(users: 120) { viaSet in
            try await withHarness(users: 120) { viaScreen in
                let users = Array(
                    await viaSet.users().filter {
                        $0.orgMembershipStatus == "ACTIVE" && !$0.orgRoles.contains("ORG_OWNER")
                            && !$0.orgRoles.contains("ORG_BILLING_ADMIN") && $0.orgRoles != ["ORG_READ_ONLY"]
                    }
                    .prefix(12))
                #expect(users.count == 12)
                #expect(await viaScreen.users().map(\.id) == (await viaSet.users()).map(\.id), "same seed, same org")
                let conflicted = [users[3].id, users[8].id]
                for harness in [viaSet, viaScreen] {
                    await harness.sandbox.setFaults(SandboxFaults(latencyMs: 15))
                }

                // The command line.
                let result = try await viaSet.run(
                    ["set"] + users.map(\.username) + ["--add", "ORG_BILLING_ADMIN", "--yes"],
                    makeService: { configuration in
                        ChangingBehindTheBack(
                            base: try AtlasClient(configuration: configuration), candidates: conflicted,
                            change: { id in
                                _ = await viaSet.sandbox.setOrgUserRoles(
                                    orgId: viaSet.orgId, userId: id, roles: ["ORG_READ_ONLY"])
                            })
                    })
                #expect(result.status == .partlyApplied, "\(result.err)")

                // The screen: mark the same users, add the role in the checklist, review, apply.
                let environment = viaScreen.environment()
                let context = CommandContext(
                    environment: environment, console: RecordingConsole(),
                    logger: .init(label: "test") { _ in SwiftLogNoOpLogHandler() }, redactor: LogRedactor())
                let configuration = try context.resolveConfiguration(ConfigurationFlags())
                let client = try context.service(for: configuration, writeMethod: .putRoles)
                let service = ChangingBehindTheBack(
                    base: client, candidates: conflicted,
                    change: { id in
                        _ = await viaScreen.sandbox.setOrgUserRoles(
                            orgId: viaScreen.orgId, userId: id, roles: ["ORG_READ_ONLY"])
                    })
                let loop = LiveLoop(
                    service: service, runtime: try context.runtime(),
                    config: EditorConfig(orgId: viaScreen.orgId, sessionId: "screen"))
                loop.send(.start)
                loop.send(.resize(rows: 40, cols: 120))
                #expect(await loop.run { $0.list.progress.isComplete })
                for user in users {
                    loop.select(user.id)
                    loop.send(.toggleMark)
                }
                loop.toggle(.billingAdmin)
                loop.send(.openReview)
                loop.send(.confirmApply)
                #expect(await loop.run { $0.review.phase == .finished })
                await loop.shutdown()

                // The same journal, line for line (but for times and batch names).
                let setJournal = try journal(of: viaSet)
                let screenJournal = try journal(of: viaScreen)
                // Written ahead: an intent and an outcome per user.
                #expect(setJournal.count == 20)
                #expect(setJournal.filter { $0.outcome == "intent" }.count == 10)
                #expect(setJournal == screenJournal)

                // The same requests reached the server: methods, paths, bodies, in the same number.
                #expect(try await requests(viaSet) == requests(viaScreen))
                for harness in [viaSet, viaScreen] {
                    for user in users {
                        let roles = await harness.sandbox.orgUserRoles(orgId: harness.orgId, userId: user.id)
                        let expected =
                            conflicted.contains(user.id)
                            ? ["ORG_READ_ONLY"] : Set(user.orgRoles + ["ORG_BILLING_ADMIN"])
                        #expect(roles.map(Set.init) == expected)
                    }
                }
            }
        }
    }

    /// A journal line without what differs between two runs by nature: when, and the run's name.
    struct JournalLine: Hashable, Comparable {
        var userId: String
        var before: [OrgRole]
        var after: [OrgRole]
        var call: String
        var outcome: String

        static func < (left: Self, right: Self) -> Bool { left.userId < right.userId }
    }

    func journal(of harness: CommandHarness) throws -> [JournalLine] {
        let store = try StateStore(directory: harness.directory.appendingPathComponent("state/atlas-roles"))
        return try store.loadJournal(orgId: harness.orgId).map {
            JournalLine(
                userId: $0.userId, before: $0.before, after: $0.after,
                call: "\($0.call.method) \($0.call.path) \($0.call.version)", outcome: "\($0.outcome)")
        }
        .sorted()
    }

    /// The API requests a harness's sandbox answered, Digest challenges left out, as a multiset of
    /// method, path and body.
    func requests(_ harness: CommandHarness) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for entry in await harness.sandbox.journal()
        where entry.path.hasPrefix("/api/atlas/v2/orgs/\(harness.orgId)/users/") && entry.status != 401 {
            counts["\(entry.method) \(entry.path) \(entry.body ?? "")", default: 0] += 1
        }
        return counts
    }
}
