import AtlasSandbox
import Foundation
import Testing

@Suite("Read operations")
struct ReadTests {
    @Test func listAndGetOrganizations() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            let list = try await client.call("GET", "/api/atlas/v2/orgs")
            let results = try #require(list.json?["results"]?.arrayValue)
            #expect(results.map { $0["id"]?.stringValue } == sandbox.organizations.map(\.id))
            #expect(list.json?["totalCount"]?.intValue == 3)
            let first = results[0]
            #expect(first["isDeleted"]?.boolValue == false)
            #expect(first["skipDefaultAlertsSettings"]?.boolValue != nil)
            #expect(first["links"]?.arrayValue?.first?["rel"]?.stringValue == "self")
            let named = try await client.call(
                "GET", "/api/atlas/v2/orgs?name=\(sandbox.organizations[1].name.prefix(3).lowercased())")
            #expect(named.json?["results"]?.arrayValue?.first?["id"]?.stringValue == sandbox.organizations[1].id)
            let one = try await client.call("GET", "/api/atlas/v2/orgs/\(sandbox.organizations[2].id)")
            #expect(one.json?["name"]?.stringValue == sandbox.organizations[2].name)
        }
    }

    @Test func unknownAndMalformedOrganizationIds() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            let unknown = try await client.call("GET", "/api/atlas/v2/orgs/0123456789abcdef01234567")
            #expect(unknown.status == 404)
            #expect(unknown.json?["errorCode"]?.stringValue == "RESOURCE_NOT_FOUND")
            for bad in ["xyz", "0123456789ABCDEF01234567", "0123456789abcdef0123456"] {
                let answer = try await client.call("GET", "/api/atlas/v2/orgs/\(bad)/users")
                #expect(answer.status == 400)
                #expect(answer.json?["errorCode"]?.stringValue == "VALIDATION_ERROR")
                #expect(
                    answer.json?["badRequestDetail"]?["fields"]?.arrayValue?.first?["field"]?.stringValue == "orgId")
            }
        }
    }

    @Test func legacyUserListHasActiveUsersOnlyAsCloudAppUsers() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let answer = try await SandboxClient(sandbox).call(
                "GET", "/api/atlas/v2/orgs/\(orgId)/users?itemsPerPage=500")
            let results = try #require(answer.json?["results"]?.arrayValue)
            var active = 0
            for id in await sandbox.userIds(orgId: orgId)
            where await sandbox.user(orgId: orgId, userId: id)?.orgMembershipStatus == "ACTIVE" {
                active += 1
            }
            #expect(results.count == active)
            #expect(answer.json?["totalCount"]?.intValue == active)
            let owner = results[0]
            #expect(owner["roles"]?.arrayValue?.first?["orgId"]?.stringValue == orgId)
            #expect(owner["roles"]?.arrayValue?.first?["roleName"]?.stringValue == "ORG_OWNER")
            #expect(owner["emailAddress"]?.stringValue == owner["username"]?.stringValue)
            #expect(owner["orgMembershipStatus"] == nil)
            for key in ["country", "createdAt", "firstName", "id", "lastName", "links", "mobileNumber", "teamIds"] {
                #expect(owner[key] != nil, "missing \(key)")
            }
            // Project roles appear with groupId, so a client must pick the entries of this org.
            #expect(results.contains { $0["roles"]?.arrayValue?.contains { $0["groupId"] != nil } == true })
        }
    }

    /// As Atlas: without `orgMembershipStatuses`, only ACTIVE and PENDING users are listed, and an
    /// expired invitation is not found by id.
    @Test func currentUserListDefaultsToActiveAndPending() async throws {
        try await withSandbox { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let client = SandboxClient(sandbox)
            let answer = try await client.call(
                "GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users?itemsPerPage=500", version: "2025-02-19")
            let statuses = Set(
                try #require(answer.json?["results"]?.arrayValue).compactMap { $0["orgMembershipStatus"]?.stringValue })
            #expect(statuses == ["ACTIVE", "PENDING"])
            #expect((answer.json?["totalCount"]?.intValue ?? 60) < 60)
            let expired = try #require(
                await sandbox.userIds(orgId: fixed.orgId).asyncFirst {
                    await sandbox.user(orgId: fixed.orgId, userId: $0)?.orgMembershipStatus == "INVITATION_EXPIRED"
                })
            let path = "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(expired)"
            #expect(try await client.call("GET", path, version: "2025-02-19").status == 404)
            #expect(
                try await client.call("GET", path + "?orgMembershipStatuses=INVITATION_EXPIRED", version: "2025-02-19")
                    .status == 200)
        }
    }

    @Test func currentUserListHasEveryStatusInItsShape() async throws {
        try await withSandbox { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let every = ["ACTIVE", "PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED"].map {
                "orgMembershipStatuses=\($0)"
            }.joined(separator: "&")
            let answer = try await SandboxClient(sandbox).call(
                "GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users?\(every)", version: "2025-02-19")
            let results = try #require(answer.json?["results"]?.arrayValue)
            #expect(results.count == 60)
            #expect(answer.json?["totalCount"]?.intValue == 60)
            let owner = results[0]
            #expect(owner["orgMembershipStatus"]?.stringValue == "ACTIVE")
            #expect(owner["roles"]?["orgRoles"]?.arrayValue == [.string("ORG_OWNER")])
            #expect(owner["roles"]?["groupRoleAssignments"]?.arrayValue != nil)
            #expect(owner["firstName"] != nil && owner["createdAt"] != nil)
            let pending = results[1]
            #expect(pending["orgMembershipStatus"]?.stringValue == "PENDING")
            #expect(pending["invitationCreatedAt"]?.stringValue != nil)
            #expect(pending["inviterUsername"]?.stringValue != nil)
            #expect(pending["invitationExpiresAt"] != nil)
            #expect(pending["firstName"] == nil)
            #expect(results[2]["orgMembershipStatus"]?.stringValue == "INVITATION_EXPIRED")
        }
    }

    @Test func filtersByUsernameAndStatuses() async throws {
        try await withSandbox { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let client = SandboxClient(sandbox)
            let pending = try #require(await sandbox.user(orgId: fixed.orgId, userId: fixed.pending))
            let byName = try await client.call(
                "GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users?username=\(pending.username.uppercased())",
                version: "2025-02-19")
            #expect(byName.json?["results"]?.arrayValue?.map { $0["id"]?.stringValue } == [fixed.pending])
            let statuses = try await client.call(
                "GET",
                "/api/atlas/v2/orgs/\(fixed.orgId)/users?orgMembershipStatuses=PENDING&orgMembershipStatuses=INVITATION_EXPIRED&itemsPerPage=500",
                version: "2025-02-19")
            let found = try #require(statuses.json?["results"]?.arrayValue)
            #expect(!found.isEmpty)
            #expect(
                found.allSatisfy {
                    ["PENDING", "INVITATION_EXPIRED"].contains($0["orgMembershipStatus"]?.stringValue ?? "")
                })
            #expect(found.contains { $0["id"]?.stringValue == fixed.expired })
            let nobody = try await client.call(
                "GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users?username=nobody@example.com", version: "2025-02-19")
            #expect(nobody.json?["results"]?.arrayValue?.isEmpty == true)
            #expect(nobody.json?["totalCount"]?.intValue == 0)
            let bad = try await client.call(
                "GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users?orgMembershipStatuses=GONE", version: "2025-02-19")
            #expect(bad.status == 400)
            #expect(bad.json?["errorCode"]?.stringValue == "VALIDATION_ERROR")
            let both = try await client.call(
                "GET",
                "/api/atlas/v2/orgs/\(fixed.orgId)/users?orgMembershipStatuses=ACTIVE&orgMembershipStatus=PENDING",
                version: "2025-02-19")
            #expect(both.status == 400)
        }
    }

    @Test func pagingFollowsNextLinksToTheEnd() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let client = SandboxClient(sandbox)
            var target: String? =
                "/api/atlas/v2/orgs/\(orgId)/users?itemsPerPage=7&orgMembershipStatuses=ACTIVE&orgMembershipStatuses=PENDING"
            var seen: [String] = []
            var pages = 0
            while let next = target {
                let answer = try await client.call("GET", next, version: "2025-02-19")
                #expect(answer.status == 200)
                let body = try #require(answer.json)
                seen += body["results"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                let links = body["links"]?.arrayValue ?? []
                #expect(links.first?["rel"]?.stringValue == "self")
                #expect(links.first?["href"]?.stringValue?.hasPrefix(sandbox.baseURL) == true)
                target = links.first { $0["rel"]?.stringValue == "next" }?["href"]?.stringValue.map {
                    String($0.dropFirst(sandbox.baseURL.count))
                }
                #expect(target == nil || target!.contains("orgMembershipStatuses=PENDING"))
                pages += 1
            }
            #expect(Set(seen).count == seen.count)
            #expect(pages == (seen.count + 6) / 7)
            #expect(seen.count > 50)
        }
    }

    @Test func pagingBoundsAndIncludeCount() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let client = SandboxClient(sandbox)
            for bad in ["itemsPerPage=0", "itemsPerPage=501", "itemsPerPage=ten", "pageNum=0", "includeCount=maybe"] {
                let answer = try await client.call("GET", "/api/atlas/v2/orgs/\(orgId)/users?\(bad)")
                #expect(answer.status == 400, "\(bad)")
                #expect(answer.json?["errorCode"]?.stringValue == "VALIDATION_ERROR")
                #expect(answer.json?["badRequestDetail"]?["fields"]?.arrayValue?.isEmpty == false)
            }
            let edge = try await client.call(
                "GET", "/api/atlas/v2/orgs/\(orgId)/users?itemsPerPage=500&includeCount=false")
            #expect(edge.status == 200)
            #expect(edge.json?["totalCount"] == nil)
            let beyond = try await client.call("GET", "/api/atlas/v2/orgs/\(orgId)/users?pageNum=99")
            #expect(beyond.json?["results"]?.arrayValue?.isEmpty == true)
            #expect(beyond.json?["links"]?.arrayValue?.count == 1)
        }
    }

    @Test func getOrgUserAndItsErrors() async throws {
        try await withSandbox { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let client = SandboxClient(sandbox)
            let one = try await client.call(
                "GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(fixed.pending)", version: "2025-02-19")
            #expect(one.json?["id"]?.stringValue == fixed.pending)
            #expect(one.header("Content-Type") == Fixtures.versionedJSON2025)
            let filtered = try await client.call(
                "GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(fixed.pending)?orgMembershipStatuses=ACTIVE",
                version: "2025-02-19")
            #expect(filtered.status == 404)
            let unknown = try await client.call(
                "GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users/aaaaaaaaaaaaaaaaaaaaaaaa", version: "2025-02-19")
            #expect(unknown.status == 404)
            #expect(unknown.json?["errorCode"]?.stringValue == "USER_NOT_FOUND")
            let legacy = try await client.call("GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(fixed.owner)")
            #expect(legacy.status == 406)
            let malformed = try await client.call(
                "GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users/123", version: "2025-02-19")
            #expect(malformed.status == 400)
            #expect(
                malformed.json?["badRequestDetail"]?["fields"]?.arrayValue?.first?["field"]?.stringValue == "userId")
        }
    }

    @Test func invitesAndTeams() async throws {
        try await withSandbox { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let client = SandboxClient(sandbox)
            let invites = try await client.call("GET", "/api/atlas/v2/orgs/\(fixed.orgId)/invites")
            let list = try #require(invites.json?.arrayValue)
            let pending = try #require(await sandbox.user(orgId: fixed.orgId, userId: fixed.pending))
            #expect(list.contains { $0["username"]?.stringValue == pending.username })
            #expect(list.allSatisfy { $0["orgId"]?.stringValue == fixed.orgId && $0["orgName"] != nil })
            #expect(!list.contains { $0["username"]?.stringValue == (sandbox.organizations.isEmpty ? "" : "") })
            let one = try await client.call(
                "GET", "/api/atlas/v2/orgs/\(fixed.orgId)/invites?username=\(pending.username)")
            #expect(one.json?.arrayValue?.count == 1)
            #expect(
                one.json?.arrayValue?.first?["roles"]?.arrayValue?.map(\.stringValue) == pending.orgRoles.map { $0 })
            let teams = try await client.call("GET", "/api/atlas/v2/orgs/\(fixed.orgId)/teams?itemsPerPage=2")
            #expect(teams.status == 200)
            #expect(teams.json?["results"]?.arrayValue?.count == 2)
            #expect((teams.json?["totalCount"]?.intValue ?? 0) >= 3)
            #expect(teams.json?["results"]?.arrayValue?.first?["name"]?.stringValue != nil)
            let missing = try await client.call("GET", "/api/atlas/v2/orgs/bbbbbbbbbbbbbbbbbbbbbbbb/teams")
            #expect(missing.status == 404)
        }
    }
}

extension Sequence {
    /// The first element for which an async predicate holds.
    func asyncFirst(where predicate: (Element) async -> Bool) async -> Element? {
        for element in self where await predicate(element) { return element }
        return nil
    }
}
