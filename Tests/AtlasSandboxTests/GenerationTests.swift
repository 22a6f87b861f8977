import AtlasSandbox
import Foundation
import Testing

@Suite("Generated organizations")
struct GenerationTests {
    @Test func sameSeedGivesSameOrganizations() async throws {
        let first = try await AtlasSandbox.start(SandboxConfiguration(seed: 42))
        let second = try await AtlasSandbox.start(SandboxConfiguration(seed: 42))
        let other = try await AtlasSandbox.start(SandboxConfiguration(seed: 43))
        #expect(first.organizations == second.organizations)
        #expect(first.organizations.map(\.id) != other.organizations.map(\.id))
        let orgId = first.organizations[0].id
        #expect(await first.userIds(orgId: orgId) == second.userIds(orgId: orgId))
        try await first.stop()
        try await second.stop()
        try await other.stop()
    }

    @Test func firstOrganizationIsTheBigOneAndOthersAreSmaller() async throws {
        try await withSandbox(SandboxConfiguration(organizations: 4, usersPerOrganization: 80)) { sandbox in
            #expect(sandbox.organizations.count == 4)
            #expect(sandbox.organizations[0].userCount == 80)
            #expect(sandbox.organizations.dropFirst().allSatisfy { $0.userCount < 80 && $0.userCount >= 1 })
            for organization in sandbox.organizations {
                #expect(organization.id.count == 24 && organization.id.allSatisfy(\.isHexDigit))
                #expect(
                    organization.name.range(of: #"^[\p{L}\p{N}\-_.(),:&@+']{1,64}$"#, options: .regularExpression)
                        != nil)
            }
        }
    }

    @Test func usersHaveStatusesOwnersAndInternationalNames() async throws {
        try await withSandbox(SandboxConfiguration(usersPerOrganization: 400)) { sandbox in
            let orgId = sandbox.organizations[0].id
            var statuses: [String: Int] = [:]
            var owners = 0
            var names: [String] = []
            for id in await sandbox.userIds(orgId: orgId) {
                let user = try #require(await sandbox.user(orgId: orgId, userId: id))
                statuses[user.orgMembershipStatus, default: 0] += 1
                if user.orgRoles.contains("ORG_OWNER"), user.orgMembershipStatus == "ACTIVE" { owners += 1 }
                #expect(!user.orgRoles.isEmpty)
                names.append(user.firstName + " " + user.lastName)
            }
            #expect(statuses["ACTIVE", default: 0] > 250)
            #expect(statuses["PENDING", default: 0] > 10)
            #expect(statuses["INVITATION_EXPIRED", default: 0] >= 1)
            #expect(owners >= 2)
            let text = names.joined()
            #expect(text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) })  // CJK
            #expect(text.unicodeScalars.contains { (0x0590...0x06FF).contains($0.value) })  // Hebrew, Arabic
            #expect(text.unicodeScalars.contains { $0.properties.isEmojiPresentation })
            #expect(text.contains("é") || text.contains("ø") || text.contains("ł"))
            #expect(names.contains { $0.count > 50 })
            #expect(!text.unicodeScalars.contains { $0.value == 0x1B })
        }
    }

    /// Logins spread back from 2026-11-01 (a fixed date: output never depends on the clock): a program
    /// showing "last login" needs recent ones, old ones and members who never logged in.
    @Test func lastLoginsAreSpreadAndNeverBeforeTheAccountExisted() async throws {
        try await withSandbox(SandboxConfiguration(organizations: 1, usersPerOrganization: 500)) { sandbox in
            let orgId = sandbox.organizations[0].id
            let page = try await SandboxClient(sandbox).call(
                "GET", "/api/atlas/v2/orgs/\(orgId)/users?itemsPerPage=500", version: "2025-02-19")
            let users = try #require(page.json?["results"]?.arrayValue)
            let active = users.filter { $0["orgMembershipStatus"]?.stringValue == "ACTIVE" }
            let parse = ISO8601DateFormatter()
            let reference = Date(timeIntervalSince1970: 1_793_491_200)
            var never = 0
            var lastMonth = 0
            var overAYear = 0
            for user in active {
                guard let text = user["lastAuth"]?.stringValue, let login = parse.date(from: text) else {
                    never += 1
                    continue
                }
                let created = try #require(user["createdAt"]?.stringValue.flatMap(parse.date(from:)))
                #expect(login >= created)
                #expect(login <= reference)
                let age = reference.timeIntervalSince(login) / 86_400
                if age <= 30 { lastMonth += 1 }
                if age > 365 { overAYear += 1 }
            }
            #expect(never > 0 && never < active.count / 10)
            #expect(lastMonth > active.count / 3)
            #expect(overAYear > 0)
            #expect(
                users.filter { $0["orgMembershipStatus"]?.stringValue != "ACTIVE" }.allSatisfy { $0["lastAuth"] == nil }
            )
        }
    }

    @Test func hostileTextPutsControlsInNames() async throws {
        try await withSandbox(SandboxConfiguration(hostileText: true)) { sandbox in
            let orgId = sandbox.organizations[0].id
            var hostile = 0
            for id in await sandbox.userIds(orgId: orgId) {
                let user = try #require(await sandbox.user(orgId: orgId, userId: id))
                let scalars = (user.firstName + user.lastName).unicodeScalars
                if scalars.contains(where: {
                    $0.value < 0x20 || $0.value == 0x9B || $0.value == 0x202E || $0.value == 0x2066
                }) {
                    hostile += 1
                }
            }
            #expect(hostile >= 3)
            #expect(sandbox.organizations[1].name.contains("\u{1B}["))
        }
    }

    /// How fast is `make bench`'s business (the benchmarks start 100,000-user sandboxes); here only
    /// that an organization that large is generated whole.
    @Test func hundredThousandUsersAreGenerated() async throws {
        let sandbox = try await AtlasSandbox.start(SandboxConfiguration(usersPerOrganization: 100_000))
        #expect(sandbox.organizations[0].userCount == 100_000)
        let ids = await sandbox.userIds(orgId: sandbox.organizations[0].id)
        #expect(ids.count == 100_000)
        #expect(Set(ids).count == 100_000)
        try await sandbox.stop()
    }
}
