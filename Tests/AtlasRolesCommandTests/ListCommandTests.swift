import AtlasAPI
import AtlasSandbox
import Foundation
import RoleEditor
import Testing

@testable import atlas_roles

/// `atlas-roles list` against a sandbox, through the real configuration, AtlasClient and Digest path.
@Suite struct ListCommandTests {
    /// The fields `--output json` promises.
    typealias Record = UserJSONReference.Record

    @Test func jsonListsEveryUserWithTheServersRoles() async throws {
        try await withHarness { harness in
            let result = try await harness.run(["list", "--output", "json"])
            #expect(result.status == .success)
            let records = try JSONDecoder().decode([Record].self, from: Data(result.out.utf8))
            let expected = await harness.users()
            #expect(records.count == expected.count)
            for user in expected {
                let record = try #require(records.first { $0.id == user.id })
                #expect(record.username == user.username)
                #expect(Set(record.orgRoles) == Set(user.orgRoles))
                #expect(record.status == user.orgMembershipStatus)
            }
            #expect(records.map { $0.username.lowercased() } == records.map { $0.username.lowercased() }.sorted())
        }
    }

    @Test func tableHasAHeaderAndOneAlignedRowPerUser() async throws {
        try await withHarness { harness in
            let result = try await harness.run(["list"])
            #expect(result.status == .success)
            let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let expected = await harness.users()
            #expect(lines.count == expected.count + 1)
            let header = try #require(lines.first)
            #expect(header.hasPrefix("USERNAME"))
            #expect(header.contains("ORG ROLES"))
            let someone = try #require(expected.first)
            let row = try #require(lines.first { $0.hasPrefix(someone.username) })
            // A person reads the table: the console's role names, not the API's.
            for role in someone.orgRoles {
                #expect(row.contains(RoleNaming.console.name(OrgRole(rawValue: role))))
                #expect(!row.contains(role))
            }
            #expect(row.hasSuffix(someone.id))
            #expect(!result.out.contains("\u{1B}"))
        }
    }

    @Test func csvQuotesAndCountsRows() async throws {
        try await withHarness { harness in
            let result = try await harness.run(["list", "-o", "csv"])
            #expect(result.status == .success)
            let rows = result.out.components(separatedBy: "\r\n").dropLast()
            #expect(rows.first == "id,username,first_name,last_name,status,org_roles,last_auth,created_at,team_ids")
            #expect(rows.count == (await harness.users()).count + 1)
        }
    }

    @Test func filtersCombine() async throws {
        try await withHarness { harness in
            let users = await harness.users()
            let owners = users.filter { $0.orgRoles.contains("ORG_OWNER") }
            let ownersResult = try await harness.run(["list", "--output", "json", "--role", "owner"])
            let ownerRecords = try JSONDecoder().decode([Record].self, from: Data(ownersResult.out.utf8))
            #expect(Set(ownerRecords.map(\.id)) == Set(owners.map(\.id)))
            #expect(!ownerRecords.isEmpty)

            let pending = users.filter { $0.orgMembershipStatus == "PENDING" }
            let pendingResult = try await harness.run(["list", "--output", "json", "--status", "pending"])
            let pendingRecords = try JSONDecoder().decode([Record].self, from: Data(pendingResult.out.utf8))
            #expect(Set(pendingRecords.map(\.id)) == Set(pending.map(\.id)))

            let target = try #require(users.last)
            let needle = String(target.username.prefix(while: { $0 != "@" })).uppercased()
            let searched = try await harness.run(["list", "--output", "json", "--search", needle])
            let found = try JSONDecoder().decode([Record].self, from: Data(searched.out.utf8))
            #expect(found.contains { $0.id == target.id })
            #expect(
                found.allSatisfy {
                    $0.username.uppercased().contains(needle)
                        || "\($0.firstName ?? "") \($0.lastName ?? "")".uppercased().contains(needle)
                })
        }
    }

    @Test func serviceAccountFromTheEnvironmentListsThroughOAuth() async throws {
        try await withHarness { harness in
            var env = harness.environment()
            env["MONGODB_ATLAS_PUBLIC_API_KEY"] = nil
            env["MONGODB_ATLAS_PRIVATE_API_KEY"] = nil
            env["MONGODB_ATLAS_CLIENT_ID"] = harness.sandbox.credentials.serviceAccount.clientId
            env["MONGODB_ATLAS_CLIENT_SECRET"] = harness.sandbox.credentials.serviceAccount.clientSecret
            let result = try await harness.run(["list", "--output", "json"], environment: env)
            #expect(result.status == .success, "\(result.err)")
            let records = try JSONDecoder().decode([Record].self, from: Data(result.out.utf8))
            #expect(records.count == (await harness.users()).count)
            let journal = await harness.sandbox.journal()
            #expect(journal.contains { $0.path == "/api/oauth/token" && $0.status == 200 })
        }
    }

    @Test func profileFromTheConfigFileIsUsed() async throws {
        try await withHarness { harness in
            let key = harness.sandbox.credentials.apiKey
            let folder = harness.directory.appendingPathComponent("config/atlascli")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try """
            [default]
            org_id = "ffffffffffffffffffffffff"

            [sandbox]
            org_id = "\(harness.orgId)"
            public_api_key = "\(key.publicKey)"
            private_api_key = "\(key.privateKey)"
            ops_manager_url = "\(harness.sandbox.baseURL)/"
            """.write(to: folder.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
            let env = [
                "HOME": harness.directory.path,
                "XDG_CONFIG_HOME": harness.directory.appendingPathComponent("config").path,
            ].merging(harness.trustEnvironment) { $1 }
            let result = try await harness.run(["list", "-P", "sandbox", "--output", "csv"], environment: env)
            #expect(result.status == .success, "\(result.err)")
            #expect(result.out.components(separatedBy: "\r\n").count == (await harness.users()).count + 2)
            // The file is mode 0644 after a plain write and holds a private key: warned, not refused.
            #expect(result.err.contains("chmod 600"))
        }
    }

    @Test func missingOrganizationIsAConfigurationError() async throws {
        try await withHarness { harness in
            let result = try await harness.run(["list"], environment: harness.environment(org: false))
            #expect(result.status == .usageOrConfiguration)
            #expect(result.err.contains("MONGODB_ATLAS_ORG_ID"))
            #expect(result.out.isEmpty)
        }
    }

    @Test func wrongKeyIsRefusedWithTheEnvelope() async throws {
        try await withHarness { harness in
            var env = harness.environment()
            env["MONGODB_ATLAS_PRIVATE_API_KEY"] = "00000000-0000-0000-0000-000000000000"
            let result = try await harness.run(["list"], environment: env)
            #expect(result.status == .refused)
            #expect(result.err.contains("401"))
            #expect(result.err.contains("errorCode"))
            #expect(!result.err.contains(env["MONGODB_ATLAS_PRIVATE_API_KEY"] ?? "-"))
        }
    }

    @Test func unknownRoleIsAUsageError() {
        #expect(throws: (any Error).self) { try AtlasRoles.parseAsRoot(["list", "--role", "ORG_WIZARD"]) }
        #expect(throws: (any Error).self) { try AtlasRoles.parseAsRoot(["list", "--status", "SLEEPING"]) }
    }
}
