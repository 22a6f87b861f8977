import AtlasSandbox
import Foundation
import Testing

@Suite("Versioning")
struct VersioningTests {
    @Test(arguments: [
        nil, "application/json", "application/vnd.atlas.2024-01-01+json", "application/vnd.atlas.2025-02-19+json",
    ])
    func unsupportedVersionsAnswer406(_ accept: String?) async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            // listOrgs has only 2023-01-01, so even a real version of another resource is refused.
            let answer = try await client.call(
                "GET", "/api/atlas/v2/orgs", version: nil, extraHeaders: accept.map { ["Accept": $0] } ?? [:])
            #expect(answer.status == 406)
            #expect(answer.json?["errorCode"]?.stringValue == "INVALID_VERSION_DATE")
            #expect(answer.json?["reason"]?.stringValue == "Not Acceptable")
            #expect(answer.header("Content-Type") == "application/json")
        }
    }

    @Test func acceptListPicksASupportedVersion() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let answer = try await SandboxClient(sandbox).call(
                "GET", "/api/atlas/v2/orgs/\(orgId)/users", version: nil,
                extraHeaders: ["Accept": "application/vnd.atlas.2099-01-01+json, application/vnd.atlas.2025-02-19+json"]
            )
            #expect(answer.status == 200)
            #expect(answer.header("Content-Type") == Fixtures.versionedJSON2025)
            #expect(answer.header("Deprecation") == nil)
        }
    }

    @Test func deprecatedVersionsCarryDeprecationAndSunset() async throws {
        try await withSandbox { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let client = SandboxClient(sandbox)
            let calls = [
                try await client.call("GET", "/api/atlas/v2/orgs/\(fixed.orgId)/users"),
                try await client.call("GET", "/api/atlas/v2/orgs/\(fixed.orgId)/invites"),
                try await client.call(
                    "PUT", "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(fixed.secondOwner)/roles",
                    body: #"{"orgRoles":["ORG_OWNER"]}"#),
            ]
            for answer in calls {
                #expect(answer.status == 200)
                #expect(answer.header("Deprecation") == "Wed, 19 Feb 2025 00:00:00 GMT")
                #expect(answer.header("Sunset") == "Thu, 1 Jul 2027 00:00:00 GMT")
                #expect(answer.header("Content-Type") == Fixtures.versionedJSON2023)
            }
            let current = try await client.call("GET", "/api/atlas/v2/orgs/\(fixed.orgId)")
            #expect(current.header("Deprecation") == nil)
        }
    }

    @Test func putVersionGoneAnswers410AndLeavesRolesAlone() async throws {
        try await withSandbox(SandboxConfiguration(putVersionGone: true)) { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let member = await Fixtures.plainMember(sandbox)
            let answer = try await SandboxClient(sandbox).call(
                "PUT", "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(member)/roles",
                body: #"{"orgRoles":["ORG_READ_ONLY"]}"#)
            #expect(answer.status == 410)
            #expect(answer.json?["errorCode"]?.stringValue == "VERSION_GONE")
            #expect(await sandbox.orgUserRoles(orgId: fixed.orgId, userId: member) == ["ORG_MEMBER"])
            var faults = await sandbox.faults()
            #expect(faults.putVersionGone)
            faults.putVersionGone = false
            await sandbox.setFaults(faults)
            let again = try await SandboxClient(sandbox).call(
                "PUT", "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(member)/roles",
                body: #"{"orgRoles":["ORG_READ_ONLY"]}"#)
            #expect(again.status == 200)
        }
    }

    @Test func unknownPathsAndMethodsGetEnvelopes() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            let missing = try await client.call("GET", "/api/atlas/v2/clusters")
            #expect(missing.status == 404)
            #expect(missing.json?["errorCode"]?.stringValue == "RESOURCE_NOT_FOUND")
            let method = try await client.call("DELETE", "/api/atlas/v2/orgs")
            #expect(method.status == 405)
            #expect(method.header("Allow") == "GET")
        }
    }

    @Test func envelopeAndPrettyShapeBodies() async throws {
        try await withSandbox { sandbox in
            let orgId = sandbox.organizations[0].id
            let client = SandboxClient(sandbox)
            let single = try await client.call("GET", "/api/atlas/v2/orgs/\(orgId)?envelope=true")
            #expect(single.json?["status"]?.intValue == 200)
            #expect(single.json?["content"]?["id"]?.stringValue == orgId)
            let list = try await client.call("GET", "/api/atlas/v2/orgs?envelope=true")
            #expect(list.json?["status"]?.intValue == 200)
            #expect(list.json?["results"]?.arrayValue?.count == 3)
            let pretty = try await client.call("GET", "/api/atlas/v2/orgs/\(orgId)?pretty=true")
            #expect(pretty.text.hasPrefix("{\n  \"id\" : "))
            let compact = try await client.call("GET", "/api/atlas/v2/orgs/\(orgId)")
            #expect(!compact.text.contains("\n"))
        }
    }
}
