import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

/// Role writes: the PUT, the PATCH, the 410 switch, single-role changes and version notices.
@Suite("Writes")
struct WriteTests {
    /// An ACTIVE user of the first organization that is not an owner, so changing it breaks no rule.
    private func activeUser(_ sandbox: AtlasSandbox, client: AtlasClient) async throws -> OrgUser {
        let users = try await loadAll(client, orgId: sandbox.firstOrgId).flatMap(\.users)
        return try #require(users.first { $0.status == .active && !$0.orgRoles.contains(.owner) })
    }

    @Test func putReplacesTheRoleSet() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let user = try await activeUser(sandbox, client: client)
            let roles: Set<OrgRole> = [.member, .billingReadOnly]
            let result = try await client.writeOrgRoles(
                orgId: sandbox.firstOrgId, userId: user.id, roles: roles, method: .putRoles)
            #expect(result.method == .putRoles)
            #expect(result.orgRoles == roles)
            #expect(result.call == RoleWriteMethod.putRoles.call(orgId: sandbox.firstOrgId, userId: user.id))
            #expect(
                Set(await sandbox.orgUserRoles(orgId: sandbox.firstOrgId, userId: user.id) ?? [])
                    == Set(roles.map(\.rawValue)))
            let put = try #require(await sandbox.apiRequests(pathSuffix: "/roles", method: "PUT").last)
            #expect(put.headers["content-type"] == "application/vnd.atlas.2023-01-01+json")
            #expect(put.headers["accept"] == "application/vnd.atlas.2023-01-01+json")
            #expect(put.body == #"{"orgRoles":["ORG_MEMBER","ORG_BILLING_READ_ONLY"]}"#)
            // Reading back agrees.
            #expect(try await client.orgUser(orgId: sandbox.firstOrgId, userId: user.id).orgRoles == roles)
        }
    }

    @Test func patchSendsOnlyOrgRoles() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let user = try await activeUser(sandbox, client: client)
            let roles: Set<OrgRole> = [.member, .groupCreator]
            let result = try await client.writeOrgRoles(
                orgId: sandbox.firstOrgId, userId: user.id, roles: roles, method: .patchUser)
            #expect(result.method == .patchUser)
            #expect(result.orgRoles == roles)
            let patch = try #require(await sandbox.apiRequests(method: "PATCH").last)
            #expect(patch.headers["content-type"] == "application/vnd.atlas.2025-02-19+json")
            #expect(patch.body == #"{"roles":{"orgRoles":["ORG_MEMBER","ORG_GROUP_CREATOR"]}}"#)
            #expect(
                Set(await sandbox.orgUserRoles(orgId: sandbox.firstOrgId, userId: user.id) ?? [])
                    == Set(roles.map(\.rawValue)))
        }
    }

    @Test func versionGoneSwitchesTheSessionToPatch() async throws {
        try await withSandbox(SandboxConfiguration(organizations: 1, usersPerOrganization: 30, putVersionGone: true)) {
            sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let events = EventRecorder(client)
            let users = try await loadAll(client, orgId: sandbox.firstOrgId).flatMap(\.users).filter {
                $0.status == .active && !$0.orgRoles.contains(.owner)
            }
            #expect(client.preferredWriteMethod == .putRoles)
            let first = try await client.writeOrgRoles(
                orgId: sandbox.firstOrgId, userId: users[0].id, roles: [.readOnly], method: .putRoles)
            #expect(first.method == .patchUser)
            #expect(first.call.method == "PATCH")
            #expect(client.preferredWriteMethod == .patchUser)
            let second = try await client.writeOrgRoles(
                orgId: sandbox.firstOrgId, userId: users[1].id, roles: [.member], method: .putRoles)
            #expect(second.method == .patchUser)
            #expect(await sandbox.apiRequests(method: "PUT").filter { $0.status == 410 }.count == 1)
            #expect(await sandbox.apiRequests(method: "PATCH").filter { $0.status == 200 }.count == 2)
            #expect(
                Set(await sandbox.orgUserRoles(orgId: sandbox.firstOrgId, userId: users[0].id) ?? []) == [
                    "ORG_READ_ONLY"
                ])
            #expect(await events.waitFor { $0 == .switchedToPatch })
            #expect(events.recorded.filter { $0 == .switchedToPatch }.count == 1)
        }
    }

    @Test func deprecationIsReportedOncePerCallShape() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let events = EventRecorder(client)
            let users = try await loadAll(client, orgId: sandbox.firstOrgId).flatMap(\.users).filter {
                $0.status == .active && !$0.orgRoles.contains(.owner)
            }
            for user in users.prefix(3) {
                _ = try await client.writeOrgRoles(
                    orgId: sandbox.firstOrgId, userId: user.id, roles: [.member], method: .putRoles)
            }
            #expect(
                await events.waitFor {
                    if case .deprecation(let call, _, _) = $0 { return call.method == "PUT" }
                    return false
                })
            let notices = events.recorded.compactMap { event -> (APICall, Date?, Date?)? in
                if case .deprecation(let call, let deprecation, let sunset) = event, call.method == "PUT" {
                    return (call, deprecation, sunset)
                }
                return nil
            }
            #expect(notices.count == 1)
            #expect(notices.first?.1 == Date(timeIntervalSince1970: 1_739_923_200))
            #expect(notices.first?.2 == Date(timeIntervalSince1970: 1_814_400_000))
        }
    }

    @Test func addAndRemoveOneRole() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let user = try await activeUser(sandbox, client: client)
            let added = try await client.addOrgRole(orgId: sandbox.firstOrgId, userId: user.id, role: .billingAdmin)
            #expect(added.orgRoles.contains(.billingAdmin))
            let removed = try await client.removeOrgRole(
                orgId: sandbox.firstOrgId, userId: user.id, role: .billingAdmin)
            #expect(!removed.orgRoles.contains(.billingAdmin))
            #expect(
                await sandbox.apiRequests(pathSuffix: ":addRole", method: "POST").last?.body
                    == #"{"orgRole":"ORG_BILLING_ADMIN"}"#)
        }
    }

    /// Atlas answers a missing role with 401 `USER_UNAUTHORIZED`, which is not a refused credential.
    @Test func memberOnlyKeyIsRefusedAsUnauthorizedForTheRole() async throws {
        try await withSandbox { sandbox in
            let member = sandbox.credentials.memberOnlyApiKey
            let client = try AtlasClient(
                configuration: sandbox.clientConfiguration(
                    credentials: .apiKey(publicKey: member.publicKey, privateKey: member.privateKey)))
            let user = try #require(try await loadAll(client, orgId: sandbox.firstOrgId).flatMap(\.users).first)
            let error = try #require(
                await atlasError {
                    _ = try await client.writeOrgRoles(
                        orgId: sandbox.firstOrgId, userId: user.id, roles: [.member], method: .patchUser)
                })
            #expect(error.status == 401)
            #expect(error.envelope?.error == 401)
            #expect(error.envelope?.errorCode == "USER_UNAUTHORIZED")
            #expect(error.call?.method == "PATCH")
            #expect(error.remedy == .needsOrganizationOwner)
        }
    }
}
