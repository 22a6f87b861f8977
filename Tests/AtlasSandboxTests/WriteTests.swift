import AtlasSandbox
import Foundation
import Testing

@Suite("Write operations")
struct WriteTests {
    static func rolesPath(_ orgId: String, _ userId: String) -> String {
        "/api/atlas/v2/orgs/\(orgId)/users/\(userId)/roles"
    }

    @Test func putReplacesTheRoleSet() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let member = await Fixtures.plainMember(sandbox)
            let answer = try await SandboxClient(sandbox).call(
                "PUT", Self.rolesPath(orgId, member), body: #"{"orgRoles":["ORG_READ_ONLY","ORG_BILLING_ADMIN"]}"#)
            #expect(answer.status == 200)
            #expect(answer.json?["orgRoles"]?.arrayValue == [.string("ORG_BILLING_ADMIN"), .string("ORG_READ_ONLY")])
            #expect(answer.json?["links"]?.arrayValue?.count == 1)
            #expect(await sandbox.orgUserRoles(orgId: orgId, userId: member) == ["ORG_BILLING_ADMIN", "ORG_READ_ONLY"])
            let journal = await sandbox.journal()
            let put = try #require(journal.last { $0.method == "PUT" })
            #expect(put.body == #"{"orgRoles":["ORG_READ_ONLY","ORG_BILLING_ADMIN"]}"#)
            #expect(put.status == 200)
            #expect(put.headers["authorization"] == nil)
            #expect(put.headers["accept"] == "application/vnd.atlas.2023-01-01+json")
        }
    }

    @Test(arguments: [
        (#"{"orgRoles":["ORG_GOD"]}"#, "VALIDATION_ERROR", "orgRoles[0]"),
        (#"{"orgRoles":[]}"#, "VALIDATION_ERROR", "orgRoles"),
        (#"{"orgRoles":["ORG_MEMBER","ORG_MEMBER"]}"#, "VALIDATION_ERROR", "orgRoles"),
        (#"{"orgRoles":"ORG_MEMBER"}"#, "VALIDATION_ERROR", "orgRoles"),
        (#"{"orgRoles":[7]}"#, "VALIDATION_ERROR", "orgRoles[0]"),
        (#"{}"#, "VALIDATION_ERROR", "orgRoles"),
    ])
    func putRefusesBadRoleSets(_ body: String, _ code: String, _ field: String) async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let member = await Fixtures.plainMember(sandbox)
            let answer = try await SandboxClient(sandbox).call("PUT", Self.rolesPath(orgId, member), body: body)
            #expect(answer.status == 400)
            #expect(answer.json?["errorCode"]?.stringValue == code)
            #expect(answer.json?["badRequestDetail"]?["fields"]?.arrayValue?.first?["field"]?.stringValue == field)
            #expect(await sandbox.orgUserRoles(orgId: orgId, userId: member) == ["ORG_MEMBER"])
        }
    }

    @Test func putRefusesMalformedJSON() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let member = await Fixtures.plainMember(sandbox)
            let answer = try await SandboxClient(sandbox).call("PUT", Self.rolesPath(orgId, member), body: "{orgRoles:")
            #expect(answer.status == 400)
            #expect(answer.json?["errorCode"]?.stringValue == "INVALID_JSON")
        }
    }

    @Test func putOnUnknownUserOrOrganization() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let client = SandboxClient(sandbox)
            let user = try await client.call(
                "PUT", Self.rolesPath(orgId, "cccccccccccccccccccccccc"), body: #"{"orgRoles":["ORG_MEMBER"]}"#)
            #expect(user.status == 404)
            #expect(user.json?["errorCode"]?.stringValue == "USER_NOT_FOUND")
            let org = try await client.call(
                "PUT", Self.rolesPath("cccccccccccccccccccccccc", "cccccccccccccccccccccccc"),
                body: #"{"orgRoles":["ORG_MEMBER"]}"#)
            #expect(org.status == 404)
            #expect(org.json?["errorCode"]?.stringValue == "RESOURCE_NOT_FOUND")
            let malformed = try await client.call(
                "PUT", Self.rolesPath(orgId, "not-an-id"), body: #"{"orgRoles":["ORG_MEMBER"]}"#)
            #expect(malformed.status == 400)
        }
    }

    @Test func putOnPendingUserPointsToPatch() async throws {
        try await withSandbox { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let answer = try await SandboxClient(sandbox).call(
                "PUT", Self.rolesPath(fixed.orgId, fixed.pending), body: #"{"orgRoles":["ORG_READ_ONLY"]}"#)
            #expect(answer.status == 400)
            #expect(answer.json?["errorCode"]?.stringValue == "USER_NOT_ACTIVE")
            #expect(answer.json?["detail"]?.stringValue?.contains("PATCH") == true)
        }
    }

    @Test func theLastOwnerCannotBeDemoted() async throws {
        try await withSandbox(SandboxConfiguration(seed: 11)) { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let client = SandboxClient(sandbox)
            // Demote every other active owner first, so the fixed owner is the last one.
            for id in await sandbox.userIds(orgId: fixed.orgId) where id != fixed.owner {
                let user = await sandbox.user(orgId: fixed.orgId, userId: id)
                if user?.orgMembershipStatus == "ACTIVE", user?.orgRoles.contains("ORG_OWNER") == true {
                    let answer = try await client.call(
                        "PUT", Self.rolesPath(fixed.orgId, id), body: #"{"orgRoles":["ORG_MEMBER"]}"#)
                    #expect(answer.status == 200)
                }
            }
            let put = try await client.call(
                "PUT", Self.rolesPath(fixed.orgId, fixed.owner), body: #"{"orgRoles":["ORG_MEMBER"]}"#)
            #expect(put.status == 400)
            #expect(put.json?["errorCode"]?.stringValue == "CANNOT_REMOVE_LAST_ORG_OWNER")
            let patch = try await client.call(
                "PATCH", "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(fixed.owner)", version: "2025-02-19",
                body: #"{"roles":{"orgRoles":["ORG_READ_ONLY"]}}"#)
            #expect(patch.json?["errorCode"]?.stringValue == "CANNOT_REMOVE_LAST_ORG_OWNER")
            let remove = try await client.call(
                "POST", "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(fixed.owner):removeRole", version: "2025-02-19",
                body: #"{"orgRole":"ORG_OWNER"}"#)
            #expect(remove.status == 400)
            #expect(await sandbox.orgUserRoles(orgId: fixed.orgId, userId: fixed.owner) == ["ORG_OWNER"])
            // Keeping the owner role while adding others is fine.
            let keep = try await client.call(
                "PUT", Self.rolesPath(fixed.orgId, fixed.owner), body: #"{"orgRoles":["ORG_OWNER","ORG_MEMBER"]}"#)
            #expect(keep.status == 200)
        }
    }

    @Test func patchChangesRolesOfActiveAndPendingUsers() async throws {
        try await withSandbox { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let client = SandboxClient(sandbox)
            for userId in [fixed.pending, await Fixtures.plainMember(sandbox)] {
                let answer = try await client.call(
                    "PATCH", "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(userId)", version: "2025-02-19",
                    body: #"{"roles":{"orgRoles":["ORG_GROUP_CREATOR","ORG_MEMBER"]}}"#)
                #expect(answer.status == 200)
                #expect(answer.header("Content-Type") == Fixtures.versionedJSON2025)
                #expect(
                    answer.json?["roles"]?["orgRoles"]?.arrayValue == [
                        .string("ORG_MEMBER"), .string("ORG_GROUP_CREATOR"),
                    ])
                #expect(
                    await sandbox.orgUserRoles(orgId: fixed.orgId, userId: userId) == [
                        "ORG_MEMBER", "ORG_GROUP_CREATOR",
                    ])
            }
        }
    }

    @Test func patchResetsFieldsSentEmptyAndKeepsAbsentOnes() async throws {
        try await withSandbox { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let client = SandboxClient(sandbox)
            let path = "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(fixed.owner)"
            let before = try await client.call("GET", path, version: "2025-02-19")
            let cleared = try await client.call(
                "PATCH", path, version: "2025-02-19",
                body: #"{"teamIds":[],"roles":{"orgRoles":["ORG_OWNER"],"groupRoleAssignments":[]}}"#)
            #expect(cleared.json?["teamIds"]?.arrayValue?.isEmpty == true)
            #expect(cleared.json?["roles"]?["groupRoleAssignments"]?.arrayValue?.isEmpty == true)
            let untouched = try await client.call("PATCH", path, version: "2025-02-19", body: "{}")
            #expect(untouched.json?["roles"]?["orgRoles"] == before.json?["roles"]?["orgRoles"])
            let badTeam = try await client.call(
                "PATCH", path, version: "2025-02-19", body: #"{"teamIds":["dddddddddddddddddddddddd"]}"#)
            #expect(badTeam.status == 400)
            let empty = try await client.call("PATCH", path, version: "2025-02-19", body: #"{"roles":{"orgRoles":[]}}"#)
            #expect(empty.status == 400)
            #expect(
                empty.json?["badRequestDetail"]?["fields"]?.arrayValue?.first?["field"]?.stringValue == "roles.orgRoles"
            )
            let legacy = try await client.call("PATCH", path, body: #"{"roles":{"orgRoles":["ORG_OWNER"]}}"#)
            #expect(legacy.status == 406)
        }
    }

    /// addRole of a held role is 409 (Atlas's spec); removeRole of one not held changes nothing.
    @Test func addAndRemoveRoleAreAtomic() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let member = await Fixtures.plainMember(sandbox)
            let client = SandboxClient(sandbox)
            let base = "/api/atlas/v2/orgs/\(orgId)/users/\(member)"
            let add = try await client.call(
                "POST", base + ":addRole", version: "2025-02-19", body: #"{"orgRole":"ORG_BILLING_READ_ONLY"}"#)
            #expect(add.status == 200)
            #expect(
                add.json?["roles"]?["orgRoles"]?.arrayValue == [
                    .string("ORG_MEMBER"), .string("ORG_BILLING_READ_ONLY"),
                ])
            let again = try await client.call(
                "POST", base + ":addRole", version: "2025-02-19", body: #"{"orgRole":"ORG_BILLING_READ_ONLY"}"#)
            #expect(again.status == 409)
            #expect(again.json?["errorCode"]?.stringValue == "USER_ALREADY_HAS_ROLE")
            let remove = try await client.call(
                "POST", base + ":removeRole", version: "2025-02-19", body: #"{"orgRole":"ORG_MEMBER"}"#)
            #expect(remove.json?["roles"]?["orgRoles"]?.arrayValue == [.string("ORG_BILLING_READ_ONLY")])
            let last = try await client.call(
                "POST", base + ":removeRole", version: "2025-02-19", body: #"{"orgRole":"ORG_BILLING_READ_ONLY"}"#)
            #expect(last.status == 400)
            #expect(last.json?["errorCode"]?.stringValue == "VALIDATION_ERROR")
            let unknown = try await client.call(
                "POST", base + ":addRole", version: "2025-02-19", body: #"{"orgRole":"ROOT"}"#)
            #expect(unknown.status == 400)
            #expect(unknown.json?["parameters"]?.arrayValue == [.string("ROOT")])
            let missing = try await client.call("POST", base + ":addRole", version: "2025-02-19", body: #"{}"#)
            #expect(missing.status == 400)
            let encoded = try await client.call(
                "POST", base + "%3AaddRole", version: "2025-02-19", body: #"{"orgRole":"ORG_READ_ONLY"}"#)
            #expect(encoded.status == 200)
            #expect(
                await sandbox.orgUserRoles(orgId: orgId, userId: member) == ["ORG_BILLING_READ_ONLY", "ORG_READ_ONLY"])
        }
    }

    @Test func hostileTextReachesErrorDetails() async throws {
        try await withSandbox(SandboxConfiguration(hostileText: true)) { sandbox in
            let orgId = sandbox.organizations[0].id
            let answer = try await SandboxClient(sandbox).call(
                "PUT", Self.rolesPath(orgId, "eeeeeeeeeeeeeeeeeeeeeeee"), body: #"{"orgRoles":["ORG_MEMBER"]}"#)
            #expect(answer.status == 404)
            let detail = try #require(answer.json?["detail"]?.stringValue)
            #expect(detail.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x9B || $0.value >= 0x2066 })
        }
    }
}
