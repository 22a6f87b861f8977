import AtlasAPI
import AtlasSandbox
import Foundation
import Testing

@testable import atlas_roles

/// `atlas-roles remove` and `atlas-roles invite` against a sandbox: the diff, the rules, the typed
/// confirmation, standard input, the journal and the exit statuses `set` has.
@Suite struct MembershipCommandTests {
    private func members(_ harness: CommandHarness, count: Int) async throws -> [SandboxUserSummary] {
        let users = await harness.users().filter {
            $0.orgMembershipStatus == "ACTIVE" && !$0.orgRoles.contains("ORG_OWNER")
        }
        try #require(users.count >= count)
        return Array(users.prefix(count))
    }

    private func deletes(_ harness: CommandHarness) async -> [SandboxJournalEntry] {
        await harness.sandbox.journal().filter { $0.method == "DELETE" && $0.status != 401 }
    }

    @Test func removeByEmailAndIdFromStandardInputJournalsRolesAndTeams() async throws {
        try await withHarness { harness in
            let users = try await members(harness, count: 3)
            let console = RecordingConsole(
                input: "\(users[1].id)\n\n# a comment\n\(users[2].username.uppercased())\n")
            let result = try await harness.run(["remove", users[0].username, "-", "--yes"], console: console)
            #expect(result.status == .success, "\(result.err)")
            #expect(result.out.contains("REMOVE \(users[0].username) ("))
            #expect(result.out.contains("via DELETE /orgs/\(harness.orgId)/users/\(users[0].id) (2025-02-19)"))
            #expect(result.out.contains("summary: remove from the organization: 3 user(s)"))
            #expect(result.out.contains("applied 3 of 3"))
            #expect(
                Set(await deletes(harness).map(\.path))
                    == Set(users.map { "/api/atlas/v2/orgs/\(harness.orgId)/users/\($0.id)" }))
            for user in users { #expect(await harness.sandbox.user(orgId: harness.orgId, userId: user.id) == nil) }
            let journal = harness.directory.appendingPathComponent("state/atlas-roles/journal-\(harness.orgId).jsonl")
            let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n")
            let applied = lines.filter { $0.contains(#""outcome":"applied""#) && $0.contains(users[0].id) }
            #expect(applied.count == 1)
            #expect(applied.first?.contains(#""teamIds":"#) == true)
        }
    }

    @Test func removeAsksForTheTypedNumberAndRefusesAWrongOne() async throws {
        try await withHarness { harness in
            let user = try await members(harness, count: 1)[0]
            let wrong = try await harness.run(
                ["remove", user.id], console: RecordingConsole(interactive: true, answers: ["y"]))
            #expect(wrong.status == .refused)
            #expect(wrong.err.contains("Type 1"))
            #expect(await deletes(harness).isEmpty)
            let typed = try await harness.run(
                ["remove", user.id], console: RecordingConsole(interactive: true, answers: ["1"]))
            #expect(typed.status == .success, "\(typed.err)")
            #expect(await deletes(harness).count == 1)
        }
    }

    @Test func theLastOwnerIsRefusedByTheRuleAndNothingIsSent() async throws {
        try await withHarness { harness in
            let owners = await harness.users().filter {
                $0.orgMembershipStatus == "ACTIVE" && $0.orgRoles.contains("ORG_OWNER")
            }
            let result = try await harness.run(["remove"] + owners.map(\.username) + ["--yes"])
            #expect(result.status == .refused)
            #expect(result.err.contains("no Organization Owner left"))
            #expect(await deletes(harness).isEmpty)
        }
    }

    @Test func dryRunAndUnknownUsersChangeNothing() async throws {
        try await withHarness { harness in
            let user = try await members(harness, count: 1)[0]
            let dry = try await harness.run(["remove", user.username, "--dry-run"])
            #expect(dry.status == .success)
            #expect(dry.out.contains("dry run"))
            let unknown = try await harness.run(["remove", user.username, "nobody@example.com", "--yes"])
            #expect(unknown.status == .usageOrConfiguration)
            #expect(await deletes(harness).isEmpty)
        }
    }

    @Test func inviteSendsTheSpecBodyWithRolesAndATeamByName() async throws {
        try await withHarness { harness in
            let client = try AtlasClient(configuration: harness.sandbox.clientConfiguration())
            let team = try #require(try await client.listTeams(orgId: harness.orgId).first)
            let console = RecordingConsole(input: "b.new@example.com\nc.new@example.com\n")
            let result = try await harness.run(
                ["invite", "a.new@example.com", "-", "--role", "member,read_only", "--team", team.name, "--yes"],
                console: console)
            #expect(result.status == .success, "\(result.err)")
            #expect(result.out.contains("INVITE a.new@example.com (ORG_MEMBER, ORG_READ_ONLY) + 1 team"))
            #expect(result.out.contains("applied 3 of 3"))
            let posts = await harness.sandbox.journal().filter { $0.method == "POST" && $0.status == 201 }
            // Sent concurrently: in any order.
            #expect(
                posts.compactMap(\.body).sorted()
                    == ["a", "b", "c"].map {
                        #"{"roles":{"orgRoles":["ORG_MEMBER","ORG_READ_ONLY"]},"teamIds":["\#(team.id)"],"#
                            + #""username":"\#($0).new@example.com"}"#
                    })
            #expect(posts.allSatisfy { $0.headers["accept"] == "application/vnd.atlas.2025-02-19+json" })
            let invited = try #require(await harness.sandbox.user(orgId: harness.orgId, username: "c.new@example.com"))
            #expect(invited.orgMembershipStatus == "PENDING")
        }
    }

    @Test func inviteRefusesBadAddressesAndMembersBeforeSending() async throws {
        try await withHarness { harness in
            let member = try await members(harness, count: 1)[0]
            let result = try await harness.run(
                ["invite", "not-an-address", member.username.uppercased(), "--role", "member", "--yes"])
            #expect(result.status == .usageOrConfiguration)
            #expect(result.err.contains("not an email address"))
            #expect(result.err.contains("already a member"))
            #expect(await harness.sandbox.journal().filter { $0.method == "POST" }.isEmpty)
        }
    }
}
