import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

/// Server behaviour the sandbox cannot be asked for, against a scripted loopback server: a server
/// that refuses 2025-02-19, and lists that give `next` links instead of `totalCount`.
///
/// The scripted server does no authentication, so the client is given an API key that it never
/// needs to use (Digest is only answered when challenged).
@Suite("Version fallback and next links")
struct VersionFallbackTests {
    private let orgId = "5f0000000000000000000000"

    private func client(_ server: ScriptedServer, pageSize: Int = 500) throws -> AtlasClient {
        var configuration = AtlasClientConfiguration(
            baseURL: server.baseURL, credentials: .apiKey(publicKey: "unused", privateKey: "unused-secret"))
        configuration.cacheDirectory = nil
        configuration.retryPolicy = .never
        configuration.pageSize = pageSize
        return try AtlasClient(configuration: configuration)
    }

    private static func legacyUser(_ index: Int, orgId: String) -> String {
        """
        {"id": "\(String(format: "%024x", index))", "username": "u\(index)@example.com", "firstName": "U", "lastName": "\(index)",
         "roles": [{"orgId": "\(orgId)", "roleName": "ORG_MEMBER"}, {"orgId": "ffffffffffffffffffffffff", "roleName": "ORG_OWNER"},
                   {"groupId": "aaaaaaaaaaaaaaaaaaaaaaaa", "roleName": "GROUP_OWNER"}]}
        """
    }

    @Test func a406OnTheNewVersionFallsBackTo20230101() async throws {
        let orgId = self.orgId
        let server = try ScriptedServer { request in
            guard request.headers["accept"] == "application/vnd.atlas.2023-01-01+json" else {
                return .json(
                    406,
                    #"{"error": 406, "errorCode": "INVALID_VERSION_DATE", "reason": "Not Acceptable", "detail": "no"}"#)
            }
            let users = (0..<3).map { Self.legacyUser($0, orgId: orgId) }.joined(separator: ",")
            return .json(200, #"{"results": [\#(users)], "totalCount": 3}"#)
        }
        defer { server.stop() }
        let client = try client(server)
        var users: [OrgUser] = []
        for try await page in client.orgUsers(orgId: orgId) { users += page.users }
        #expect(users.count == 3)
        #expect(users.allSatisfy { $0.orgRoles == [.member] && $0.status == .active })
        #expect(client.usersListVersion == .v20230101)
        #expect(
            server.requests.map { $0.headers["accept"] ?? "" } == [
                "application/vnd.atlas.2025-02-19+json", "application/vnd.atlas.2023-01-01+json",
            ])
        // The session remembers: the next load asks for 2023-01-01 straight away.
        for try await _ in client.orgUsers(orgId: orgId) {}
        #expect(server.requests.last?.headers["accept"] == "application/vnd.atlas.2023-01-01+json")
        #expect(server.requests.count == 3)
    }

    @Test func withoutTotalCountTheNextLinksAreFollowed() async throws {
        let orgId = self.orgId
        let server = try ScriptedServer { request in
            let page =
                URLComponents(string: request.target)?.queryItems?.first { $0.name == "pageNum" }?.value.flatMap(
                    Int.init) ?? 1
            let users = (0..<2).map { index in
                #"{"id": "\#(String(format: "%024x", page * 10 + index))", "username": "p\#(page)-\#(index)@x", "orgMembershipStatus": "ACTIVE", "roles": {"orgRoles": ["ORG_MEMBER"]}}"#
            }.joined(separator: ",")
            let next =
                page < 3
                ? #", {"rel": "next", "href": "https://elsewhere.example/api/atlas/v2/orgs/\#(orgId)/users?pageNum=\#(page + 1)&itemsPerPage=2"}"#
                : ""
            return .json(200, #"{"results": [\#(users)], "links": [{"rel": "self", "href": "x"}\#(next)]}"#)
        }
        defer { server.stop() }
        let client = try client(server, pageSize: 2)
        var pages: [UserPage] = []
        for try await page in client.orgUsers(orgId: orgId) { pages.append(page) }
        #expect(pages.map(\.pageNumber) == [1, 2, 3])
        #expect(pages.map(\.loadedCount) == [2, 4, 6])
        #expect(pages.allSatisfy { $0.totalCount == nil })
        // The link's query was used, but the request went to the configured server, not "elsewhere".
        #expect(server.requests.count == 3)
        #expect(server.requests[2].target.contains("pageNum=3"))
    }

    @Test func anEmptyOrganizationIsOnePageOfNothing() async throws {
        let server = try ScriptedServer { _ in .json(200, #"{"results": [], "totalCount": 0, "links": []}"#) }
        defer { server.stop() }
        var pages: [UserPage] = []
        for try await page in try client(server).orgUsers(orgId: orgId) { pages.append(page) }
        #expect(pages == [UserPage(users: [], pageNumber: 1, loadedCount: 0, totalCount: 0)])
        #expect(server.requests.count == 1)
    }
}
