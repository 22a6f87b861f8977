import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

/// The membership calls against the sandbox: invite, cancel, remove, teams and project names.
@Suite("Membership calls")
struct MembershipTests {
    @Test func inviteSendsTheSpecBodyAndAnswersThePendingUser() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let team = try #require(try await client.listTeams(orgId: sandbox.firstOrgId).first)
            let invited = try await client.inviteOrgUser(
                orgId: sandbox.firstOrgId,
                invitation: OrgUserInvitation(
                    username: "new.hire@example.com", orgRoles: [.readOnly, .member], teamIds: [team.id]))
            #expect(invited.status == .pending)
            #expect(invited.username == "new.hire@example.com")
            #expect(invited.orgRoles == [.readOnly, .member])
            #expect(invited.teamIds == [team.id])
            let post = try #require(await sandbox.apiRequests(pathSuffix: "/users", method: "POST").last)
            #expect(post.status == 201)
            #expect(post.headers["accept"] == "application/vnd.atlas.2025-02-19+json")
            #expect(post.headers["content-type"] == "application/vnd.atlas.2025-02-19+json")
            #expect(
                post.body
                    == #"{"roles":{"orgRoles":["ORG_MEMBER","ORG_READ_ONLY"]},"teamIds":["\#(team.id)"],"#
                    + #""username":"new.hire@example.com"}"#)
            // Without teams, no teamIds at all.
            _ = try await client.inviteOrgUser(
                orgId: sandbox.firstOrgId, invitation: OrgUserInvitation(username: "b@example.com", orgRoles: [.member])
            )
            let second = try #require(await sandbox.apiRequests(pathSuffix: "/users", method: "POST").last)
            #expect(second.body == #"{"roles":{"orgRoles":["ORG_MEMBER"]},"username":"b@example.com"}"#)
        }
    }

    @Test func invitingAMemberIsAConflictWithTheServersText() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let member = try #require(
                try await loadAll(client, orgId: sandbox.firstOrgId).flatMap(\.users).first { $0.status == .active })
            let error = await #expect(throws: AtlasError.self) {
                _ = try await client.inviteOrgUser(
                    orgId: sandbox.firstOrgId,
                    invitation: OrgUserInvitation(username: member.username.uppercased(), orgRoles: [.member]))
            }
            #expect(error?.status == 409)
            #expect(error?.envelope?.errorCode == "USER_ALREADY_IN_ORG")
            // Not retried (a Digest challenge, over plain HTTP or with single-use nonces, is no retry).
            #expect(await sandbox.apiRequests(method: "POST").filter { $0.status != 401 }.count == 1)
        }
    }

    @Test func removeCancelsAnInvitationAndRemovesAMemberButNeverTheLastOwner() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.firstOrgId
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let invited = try await client.inviteOrgUser(
                orgId: orgId, invitation: OrgUserInvitation(username: "temp@example.com", orgRoles: [.member]))
            let call = try await client.removeOrgUser(orgId: orgId, userId: invited.id)
            #expect(call == APICall.removeOrgUser(orgId: orgId, userId: invited.id))
            #expect(await sandbox.user(orgId: orgId, userId: invited.id) == nil)
            let users = try await loadAll(client, orgId: orgId).flatMap(\.users)
            let member = try #require(users.first { $0.status == .active && !$0.orgRoles.contains(.owner) })
            _ = try await client.removeOrgUser(orgId: orgId, userId: member.id)
            #expect(await sandbox.user(orgId: orgId, userId: member.id) == nil)
            let deletes = await sandbox.apiRequests(method: "DELETE").filter { $0.status != 401 }
            #expect(deletes.map(\.status) == [204, 204])
            #expect(
                deletes.allSatisfy { $0.body == nil && $0.headers["accept"] == "application/vnd.atlas.2025-02-19+json" }
            )
            // Every owner but one goes; the last one stays, with the server's reason.
            let owners = users.filter { $0.status == .active && $0.orgRoles.contains(.owner) }
            #expect(owners.count >= 2)
            for owner in owners.dropLast() { _ = try await client.removeOrgUser(orgId: orgId, userId: owner.id) }
            let error = await #expect(throws: AtlasError.self) {
                _ = try await client.removeOrgUser(orgId: orgId, userId: owners.last!.id)
            }
            #expect(error?.envelope?.errorCode == "CANNOT_REMOVE_LAST_ORG_OWNER")
            #expect(await sandbox.user(orgId: orgId, userId: owners.last!.id) != nil)
        }
    }

    @Test func idsThatAreNotAtlasIdsAreNeverSent() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            await #expect(throws: AtlasError.self) {
                _ = try await client.removeOrgUser(orgId: sandbox.firstOrgId, userId: "../../groups/x")
            }
            await #expect(throws: AtlasError.self) {
                _ = try await client.inviteOrgUser(
                    orgId: sandbox.firstOrgId,
                    invitation: OrgUserInvitation(username: "a@example.com", orgRoles: [.member], teamIds: ["../x"]))
            }
            #expect(await sandbox.apiRequests().isEmpty)
        }
    }

    @Test func projectsAreReadWithTheirNames() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let projects = try await client.listProjects(orgId: sandbox.firstOrgId)
            #expect(projects.count >= 2)
            #expect(projects.allSatisfy { !$0.name.isEmpty })
            #expect(Set(projects.map(\.id)).count == projects.count)
            let get = try #require(await sandbox.apiRequests(pathSuffix: "/groups").first)
            #expect(get.headers["accept"] == "application/vnd.atlas.2023-01-01+json")
            // Every project a user holds roles in is one of them, named.
            let users = try await loadAll(client, orgId: sandbox.firstOrgId).flatMap(\.users)
            let assigned = Set(users.flatMap(\.projectRoles).map(\.projectId))
            #expect(!assigned.isEmpty)
            #expect(assigned.isSubset(of: Set(projects.map(\.id))))
            #expect(users.flatMap(\.projectRoles).allSatisfy { !$0.roles.isEmpty })
        }
    }
}
