import AtlasAPI
import AtlasSandbox
import Foundation
import Testing

@testable import atlas_roles

/// `atlas-roles set` against a sandbox: diff, dry run, rules, prompt, conflict, refusal, exit statuses.
@Suite struct SetCommandTests {
    /// An ACTIVE user who is not an owner and holds ORG_MEMBER, for ordinary changes.
    func ordinaryUser(_ harness: CommandHarness, skipping: Set<String> = []) async throws -> SandboxUserSummary {
        let users = await harness.users()
        return try #require(
            users.first {
                $0.orgMembershipStatus == "ACTIVE" && !$0.orgRoles.contains("ORG_OWNER")
                    && !$0.orgRoles.contains("ORG_BILLING_ADMIN") && !skipping.contains($0.id)
            })
    }

    @Test func dryRunPrintsTheDiffAndWritesNothing() async throws {
        try await withHarness { harness in
            let user = try await ordinaryUser(harness)
            let result = try await harness.run(["set", user.username, "--add", "billing_admin", "--dry-run"])
            #expect(result.status == .success)
            #expect(result.out.contains("+ORG_BILLING_ADMIN"))
            #expect(result.out.contains("via PUT /orgs/\(harness.orgId)/users/\(user.id)/roles (2023-01-01)"))
            #expect(result.out.contains("dry run"))
            #expect(await harness.writes().isEmpty)
            #expect(await harness.sandbox.orgUserRoles(orgId: harness.orgId, userId: user.id) == user.orgRoles)
        }
    }

    @Test func yesAppliesByEmailAndJournals() async throws {
        try await withHarness { harness in
            let user = try await ordinaryUser(harness)
            let result = try await harness.run([
                "set", user.username.uppercased(), "--add", "ORG_BILLING_ADMIN", "--yes",
            ])
            #expect(result.status == .success, "\(result.err)")
            let now = try #require(await harness.sandbox.orgUserRoles(orgId: harness.orgId, userId: user.id))
            #expect(Set(now) == Set(user.orgRoles + ["ORG_BILLING_ADMIN"]))
            #expect(result.out.contains("applied 1 of 1"))
            let writes = await harness.writes()
            #expect(writes.count == 1)
            #expect(writes.first?.path == "/api/atlas/v2/orgs/\(harness.orgId)/users/\(user.id)/roles")
            let journal = harness.directory.appendingPathComponent("state/atlas-roles/journal-\(harness.orgId).jsonl")
            let text = try String(contentsOf: journal, encoding: .utf8)
            #expect(text.contains(user.id))
            #expect(text.contains("applied"))
        }
    }

    @Test func withoutATerminalOnlyYesApplies() async throws {
        try await withHarness { harness in
            let user = try await ordinaryUser(harness)
            let arguments = ["set", user.id, "--role", "ORG_READ_ONLY,ORG_GROUP_CREATOR"]
            let unconfirmed = try await harness.run(arguments, console: RecordingConsole(interactive: false))
            #expect(unconfirmed.status == .usageOrConfiguration)
            #expect(unconfirmed.err.contains("--yes"))
            #expect(await harness.writes().isEmpty)

            let console = RecordingConsole(interactive: false)
            let result = try await harness.run(arguments + ["--yes"], console: console)
            #expect(result.status == .success, "\(result.err)")
            #expect(!result.err.contains("[y/N]"))
            let now = try #require(await harness.sandbox.orgUserRoles(orgId: harness.orgId, userId: user.id))
            #expect(Set(now) == ["ORG_READ_ONLY", "ORG_GROUP_CREATOR"])
        }
    }

    @Test func declinedPromptWritesNothing() async throws {
        try await withHarness { harness in
            let user = try await ordinaryUser(harness)
            let console = RecordingConsole(interactive: true, answers: ["n"])
            let result = try await harness.run(["set", user.username, "--add", "ORG_BILLING_ADMIN"], console: console)
            #expect(result.status == .refused)
            #expect(result.err.contains("[y/N]"))
            #expect(result.err.contains("not applied"))
            // The prompt names the organization, its id in parentheses.
            #expect(result.err.contains(" (\(harness.orgId))?"), "\(result.err)")
            #expect(await harness.writes().isEmpty)

            let accepting = RecordingConsole(interactive: true, answers: ["y"])
            let applied = try await harness.run(
                ["set", user.username, "--add", "ORG_BILLING_ADMIN"], console: accepting)
            #expect(applied.status == .success)
            #expect(await harness.writes().count == 1)
        }
    }

    @Test func removingEveryOwnerIsRefusedByTheRule() async throws {
        try await withHarness { harness in
            let owners = await harness.users().filter {
                $0.orgMembershipStatus == "ACTIVE" && $0.orgRoles.contains("ORG_OWNER")
            }
            #expect(!owners.isEmpty)
            let result = try await harness.run(["set"] + owners.map(\.username) + ["--role", "ORG_MEMBER", "--yes"])
            #expect(result.status == .refused)
            #expect(result.err.contains("no Organization Owner left"))
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func emptyRoleSetIsRefusedByTheRule() async throws {
        try await withHarness { harness in
            let user = try await ordinaryUser(harness)
            let result = try await harness.run(
                ["set", user.username, "--remove", user.orgRoles.joined(separator: ","), "--yes"])
            #expect(result.status == .refused)
            #expect(result.err.contains("no role"))
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func apiRefusalPrintsTheWholeEnvelope() async throws {
        try await withHarness { harness in
            let user = try await ordinaryUser(harness)
            let result = try await harness.run(
                ["set", user.username, "--add", "ORG_BILLING_ADMIN", "--yes"],
                environment: harness.environment(memberOnly: true))
            #expect(result.status == .refused)
            #expect(result.err.contains("refused 401"))
            #expect(result.err.contains("errorCode: "))
            #expect(result.err.contains("call: PUT /orgs/\(harness.orgId)/users/\(user.id)/roles"))
            #expect(await harness.sandbox.orgUserRoles(orgId: harness.orgId, userId: user.id) == user.orgRoles)
        }
    }

    @Test func aConcurrentChangeIsAConflictAndTheOtherUserIsPartlyApplied() async throws {
        try await withHarness { harness in
            let first = try await ordinaryUser(harness)
            let second = try await ordinaryUser(harness, skipping: [first.id])
            let sandbox = harness.sandbox
            let orgId = harness.orgId
            let result = try await harness.run(
                ["set", first.username, second.username, "--add", "ORG_BILLING_ADMIN", "--yes"],
                makeService: { configuration in
                    ChangingBehindTheBack(
                        base: try AtlasClient(configuration: configuration), candidates: [first.id],
                        change: { userId in
                            guard userId == first.id else { return }
                            await sandbox.setOrgUserRoles(orgId: orgId, userId: userId, roles: ["ORG_READ_ONLY"])
                        })
                })
            #expect(result.status == .partlyApplied, "\(result.err)")
            #expect(result.err.contains("conflict"))
            #expect(result.err.contains("server: ORG_READ_ONLY"))
            #expect(await sandbox.orgUserRoles(orgId: orgId, userId: first.id) == ["ORG_READ_ONLY"])
            let secondRoles = try #require(await sandbox.orgUserRoles(orgId: orgId, userId: second.id))
            #expect(secondRoles.contains("ORG_BILLING_ADMIN"))
            #expect(result.out.contains("applied 1 of 2"))
        }
    }

    @Test func patchIsUsedWhenAskedAndForInvitations() async throws {
        try await withHarness { harness in
            let users = await harness.users()
            let active = try await ordinaryUser(harness)
            let pending = try #require(
                users.first { $0.orgMembershipStatus == "PENDING" && !$0.orgRoles.contains("ORG_BILLING_ADMIN") })
            let result = try await harness.run(
                [
                    "set", active.username, pending.username, "--add", "ORG_BILLING_ADMIN", "--write-method", "patch",
                    "--yes",
                ])
            #expect(result.status == .success, "\(result.err)")
            let writes = await harness.writes()
            #expect(writes.count == 2)
            #expect(writes.allSatisfy { $0.method == "PATCH" })
            #expect(
                Set(writes.map(\.path)) == [
                    "/api/atlas/v2/orgs/\(harness.orgId)/users/\(active.id)",
                    "/api/atlas/v2/orgs/\(harness.orgId)/users/\(pending.id)",
                ])
            #expect(result.out.contains("via PATCH /orgs/\(harness.orgId)/users/\(pending.id) (2025-02-19)"))
        }
    }

    @Test func unknownUserChangesNothing() async throws {
        try await withHarness { harness in
            let user = try await ordinaryUser(harness)
            let result = try await harness.run(
                ["set", user.username, "nobody@nowhere.invalid", "--add", "ORG_BILLING_ADMIN", "--yes"])
            #expect(result.status == .usageOrConfiguration)
            #expect(result.err.contains("nobody@nowhere.invalid"))
            #expect(!result.err.contains("did you mean"))
            #expect(await harness.writes().isEmpty)

            // A typo: one letter of the login dropped.
            var typo = user.username
            typo.remove(at: typo.startIndex)
            let misspelled = try await harness.run(["set", typo, "--add", "ORG_BILLING_ADMIN", "--yes"])
            #expect(misspelled.status == .usageOrConfiguration)
            #expect(misspelled.err.contains("\(typo): did you mean \(user.username)"), "\(misspelled.err)")
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test(arguments: [
        ["set", "a@b.c"],
        ["set", "a@b.c", "--role", "ORG_MEMBER", "--add", "ORG_OWNER"],
        ["set", "a@b.c", "--add", "ORG_OWNER", "--remove", "owner"],
        ["set", "--role", "ORG_MEMBER"],
        ["set", "a@b.c", "--role", "ORG_EMPEROR"],
    ])
    func contradictoryOrIncompleteRequestsAreUsageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { try AtlasRoles.parseAsRoot(arguments) }
    }
}

/// Forwards to the real client, but changes a user on the server just before the command re-reads them,
/// as another administrator would between the load and the write.
final class ChangingBehindTheBack: AtlasService {
    let base: any AtlasService
    /// The users `change` may act on when the whole list is read again (a large run's re-read).
    let candidates: [String]
    let change: @Sendable (String) async -> Void
    private let listings = LockedValue(0)

    init(base: any AtlasService, candidates: [String] = [], change: @escaping @Sendable (String) async -> Void) {
        self.base = base
        self.candidates = candidates
        self.change = change
    }

    func listOrganizations() async throws -> [Organization] { try await base.listOrganizations() }
    func organization(id: String) async throws -> Organization { try await base.organization(id: id) }
    /// The first listing is the load; any later one is the re-read before writing, so the change lands
    /// just before it, as another admin's would.
    func orgUsers(orgId: String) -> AsyncThrowingStream<UserPage, any Error> {
        let isReread = listings.withLock { count in
            defer { count += 1 }
            return count > 0
        }
        guard isReread else { return base.orgUsers(orgId: orgId) }
        let (candidates, change, base) = (self.candidates, self.change, self.base)
        return AsyncThrowingStream { continuation in
            let task = Task {
                for id in candidates { await change(id) }
                do {
                    for try await page in base.orgUsers(orgId: orgId) { continuation.yield(page) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
    func orgUser(orgId: String, userId: String) async throws -> OrgUser {
        await change(userId)
        return try await base.orgUser(orgId: orgId, userId: userId)
    }
    func writeOrgRoles(orgId: String, userId: String, roles: Set<OrgRole>, method: RoleWriteMethod) async throws
        -> RoleWriteResult
    {
        try await base.writeOrgRoles(orgId: orgId, userId: userId, roles: roles, method: method)
    }
    func events() -> AsyncStream<ServiceEvent> { base.events() }
}
