import AtlasSandbox
import Foundation
import Testing

@Suite("Admin endpoint, journal and state")
struct AdminTests {
    @Test func faultsCanBeReadAndPartiallyReplaced() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(baseURL: sandbox.baseURL)
            let initial = try await client.raw("GET", "/__sandbox/faults")
            #expect(initial.json?["latencyMs"]?.intValue == 0)
            #expect(initial.json?["rateLimit"]?.isNull == true)
            let updated = try await client.raw(
                "PUT", "/__sandbox/faults",
                body: #"{"latencyMs": 5, "rateLimit": {"capacity": 10, "refillPerSecond": 5, "scope": "writes"}}"#)
            #expect(updated.status == 200)
            let faults = await sandbox.faults()
            #expect(faults.latencyMs == 5)
            #expect(faults.rateLimit == SandboxRateLimit(capacity: 10, refillPerSecond: 5, scope: .writes))
            #expect(faults.retryAfterSeconds == 1)
            for bad in [#"{"resetRate": 2}"#, #"{"nope": 1}"#, "not json", #"{"rateLimit": {"capacity": 0}}"#] {
                #expect(try await client.raw("PUT", "/__sandbox/faults", body: bad).status == 400)
            }
            #expect(await sandbox.faults().latencyMs == 5)
        }
    }

    @Test func journalIsReadableClearableAndHasNoCredentials() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            _ = try await client.call("GET", "/api/atlas/v2/orgs?pretty=true")
            let admin = SandboxClient(baseURL: sandbox.baseURL)
            let journal = try await admin.raw("GET", "/__sandbox/journal")
            let entries = try #require(journal.json?.arrayValue)
            #expect(entries.count == 2)  // the challenge round trip, then the answer
            #expect(entries.map { $0["status"]?.intValue } == [401, 200])
            #expect(entries[1]["query"]?.stringValue == "pretty=true")
            #expect(entries[1]["path"]?.stringValue == "/api/atlas/v2/orgs")
            #expect(entries[1]["headers"]?["authorization"] == nil)
            #expect(!journal.text.contains(sandbox.credentials.apiKey.privateKey))
            #expect(!journal.text.lowercased().contains("digest username"))
            #expect(try await admin.raw("DELETE", "/__sandbox/journal").status == 204)
            #expect(await sandbox.journal().isEmpty)
        }
    }

    @Test func rolesCanBeChangedBehindTheClientsBack() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let member = await Fixtures.plainMember(sandbox)
            let admin = SandboxClient(baseURL: sandbox.baseURL)
            let path = "/__sandbox/orgs/\(orgId)/users/\(member)/roles"
            #expect(try await admin.raw("GET", path).json?["orgRoles"]?.arrayValue == [.string("ORG_MEMBER")])
            let put = try await admin.raw("PUT", path, body: #"{"orgRoles":["ORG_READ_ONLY"]}"#)
            #expect(put.status == 200)
            #expect(await sandbox.orgUserRoles(orgId: orgId, userId: member) == ["ORG_READ_ONLY"])
            #expect(try await admin.raw("PUT", path, body: #"{"orgRoles":["BOGUS"]}"#).status == 400)
            #expect(
                try await admin.raw("GET", "/__sandbox/orgs/\(orgId)/users/ffffffffffffffffffffffff/roles").status
                    == 404)
            #expect(await sandbox.setOrgUserRoles(orgId: orgId, userId: member, roles: ["ORG_MEMBER", "ORG_OWNER"]))
            let seen = try await SandboxClient(sandbox).call(
                "GET", "/api/atlas/v2/orgs/\(orgId)/users/\(member)", version: "2025-02-19")
            #expect(seen.json?["roles"]?["orgRoles"]?.arrayValue == [.string("ORG_OWNER"), .string("ORG_MEMBER")])
            #expect(!(await sandbox.setOrgUserRoles(orgId: orgId, userId: member, roles: [])))
            #expect(try await admin.raw("GET", "/__sandbox/health").json?["ok"]?.boolValue == true)
        }
    }

    @Test func stateSurvivesARestartAndTheJournalFileHasLines() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let statePath = directory.appendingPathComponent("state.json").path
        let journalPath = directory.appendingPathComponent("journal.jsonl").path
        let configuration = SandboxConfiguration(seed: 5, statePath: statePath, journalPath: journalPath)
        let (orgId, member) = try await withSandboxReturning(configuration) { sandbox in
            let orgId = sandbox.organizations[0].id
            let member = await Fixtures.plainMember(sandbox)
            let answer = try await SandboxClient(sandbox).call(
                "PUT", "/api/atlas/v2/orgs/\(orgId)/users/\(member)/roles", body: #"{"orgRoles":["ORG_BILLING_ADMIN"]}"#
            )
            #expect(answer.status == 200)
            return (orgId, member)
        }
        #expect(FileManager.default.fileExists(atPath: statePath))
        try await withSandbox(configuration) { sandbox in
            #expect(await sandbox.orgUserRoles(orgId: orgId, userId: member) == ["ORG_BILLING_ADMIN"])
        }
        let lines = try String(contentsOfFile: journalPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { JSONValue.parse(String($0)) != nil })
        #expect(!lines.joined().contains("Digest"))
    }

    @Test func corruptStateFileStopsTheStart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json").path
        try "not json".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        await #expect(throws: SandboxStartError.self) {
            _ = try await AtlasSandbox.start(SandboxConfiguration(statePath: path))
        }
    }

    @Test func portInUseFailsToStart() async throws {
        try await withSandbox { sandbox in
            await #expect(throws: (any Error).self) {
                let second = try await AtlasSandbox.start(SandboxConfiguration(port: sandbox.port))
                try await second.stop()
            }
        }
    }
}
