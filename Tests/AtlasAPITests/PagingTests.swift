import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import AtlasAPI

/// Loading every user of an organization: counts, page concurrency, both list versions.
@Suite("Paging")
struct PagingTests {
    /// The sandbox always generates at least one member (an organization has an owner), so the empty
    /// organization is covered by `VersionFallbackTests.anEmptyOrganizationIsOnePageOfNothing`.
    @Test(arguments: [1, 500, 501, 10_000])
    func everyUserArrivesExactlyOnce(userCount: Int) async throws {
        try await withSandbox(SandboxConfiguration(organizations: 1, usersPerOrganization: userCount)) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let orgId = sandbox.firstOrgId
            let pages = try await loadAll(client, orgId: orgId)
            let users = pages.flatMap(\.users)
            #expect(users.count == userCount)
            #expect(Set(users.map(\.id)).count == userCount)
            #expect(Set(users.map(\.id)) == Set(await sandbox.userIds(orgId: orgId)))
            #expect(pages.last?.loadedCount == userCount)
            #expect(pages.first?.totalCount == userCount)
            #expect(pages.map(\.loadedCount) == pages.map(\.loadedCount).sorted(), "progress only grows")
            let expectedPages = max(1, (userCount + 499) / 500)
            #expect(Set(pages.map(\.pageNumber)) == Set(1...expectedPages))
            let listRequests = await sandbox.apiRequests(pathSuffix: "/orgs/\(orgId)/users").filter { $0.status == 200 }
            #expect(listRequests.count == expectedPages)
            #expect(listRequests.allSatisfy { $0.headers["accept"] == "application/vnd.atlas.2025-02-19+json" })
            #expect(listRequests.allSatisfy { $0.query.contains("itemsPerPage=500") })
        }
    }

    @Test func pagesAfterTheFirstAreFetchedConcurrentlyWithinTheBound() async throws {
        try await withSandbox(
            SandboxConfiguration(organizations: 1, usersPerOrganization: 5_000, faults: SandboxFaults(latencyMs: 300))
        ) { sandbox in
            var configuration = sandbox.clientConfiguration()
            configuration.pageConcurrency = 3
            let client = try AtlasClient(configuration: configuration)
            _ = try await client.organization(id: sandbox.firstOrgId)  // the Digest challenge, out of the way
            await sandbox.clearJournal()
            let pages = try await loadAll(client, orgId: sandbox.firstOrgId)
            #expect(pages.flatMap(\.users).count == 5_000)

            // Counted by the transfer pool, not inferred from arrival times: never more than
            // pageConcurrency at once, and more than one (each page is held for the injected latency,
            // so the pages started together are out together).
            #expect(client.peakConcurrentTransfers <= 3, "never more than pageConcurrency requests at once")
            #expect(client.peakConcurrentTransfers >= 2, "pages after the first did overlap")
            #expect(await sandbox.apiRequests(pathSuffix: "/users").count >= 10)
        }
    }

    @Test func bothListVersionsGiveTheSameOrgRoles() async throws {
        try await withSandbox(SandboxConfiguration(organizations: 2, usersPerOrganization: 120)) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let orgId = sandbox.firstOrgId
            let current = try await loadAll(client, orgId: orgId).flatMap(\.users)
            let legacy = try await client.get(
                "/orgs/\(orgId)/users", version: .v20230101, query: AtlasClient.pageQuery(1, size: 500),
                as: WirePage<WireCloudAppUser>.self
            ).results.map { $0.user(inOrganization: orgId) }
            #expect(!legacy.isEmpty)
            let byId = Dictionary(uniqueKeysWithValues: current.map { ($0.id, $0) })
            for user in legacy {
                let match = try #require(byId[user.id])
                #expect(match.status == .active, "2023-01-01 lists ACTIVE users only")
                #expect(user.orgRoles == match.orgRoles)
                #expect(user.username == match.username)
            }
            #expect(legacy.count == current.filter { $0.status == .active }.count)
            for user in current.prefix(5) {
                let server = Set(await sandbox.orgUserRoles(orgId: orgId, userId: user.id) ?? [])
                #expect(Set(user.orgRoles.map(\.rawValue)) == server)
            }
        }
    }

    @Test func organizationsTeamsAndInvitationsAreListed() async throws {
        try await withSandbox(SandboxConfiguration(organizations: 3, usersPerOrganization: 40)) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let organizations = try await client.listOrganizations()
            #expect(Set(organizations.map(\.id)) == Set(sandbox.organizations.map(\.id)))
            let first = try await client.organization(id: sandbox.firstOrgId)
            #expect(first.name == sandbox.organizations[0].name)
            _ = try await client.listTeams(orgId: sandbox.firstOrgId)
            _ = try await client.listInvitations(orgId: sandbox.firstOrgId)
            #expect(await sandbox.apiRequests().allSatisfy { $0.status == 200 || $0.status == 401 })
        }
    }
}
