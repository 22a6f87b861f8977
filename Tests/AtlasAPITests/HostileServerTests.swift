import AtlasRolesTesting
import Foundation
import Testing

@testable import AtlasAPI

/// A server that lies: numbers that overflow, bodies that never end, links that loop, ids that are
/// paths. Nothing it sends may crash the client, grow it without bound, or send a request elsewhere.
@Suite("Hostile server")
struct HostileServerTests {
    private let orgId = "5f0000000000000000000000"

    private func client(_ server: ScriptedServer, pageSize: Int = 500) throws -> AtlasClient {
        var configuration = AtlasClientConfiguration(
            baseURL: server.baseURL, credentials: .apiKey(publicKey: "unused", privateKey: "unused-secret"))
        configuration.retryPolicy = .never
        configuration.pageSize = pageSize
        return try AtlasClient(configuration: configuration)
    }

    private static func users(page: Int, count: Int) -> String {
        (0..<count).map { index in
            #"{"id": "\#(String(format: "%024x", page * 1000 + index))", "username": "p\#(page)-\#(index)@x", "orgMembershipStatus": "ACTIVE", "roles": {"orgRoles": ["ORG_MEMBER"]}}"#
        }.joined(separator: ",")
    }

    private func loadAll(_ client: AtlasClient) async throws -> [UserPage] {
        var pages: [UserPage] = []
        for try await page in client.orgUsers(orgId: orgId) { pages.append(page) }
        return pages
    }

    @Test(arguments: ["9223372036854775807", "1000000000", "-5"])
    func anUnbelievableTotalCountIsIgnored(total: String) async throws {
        let server = try ScriptedServer { request in
            let page =
                URLComponents(string: request.target)?.queryItems?.first { $0.name == "pageNum" }?.value
                .flatMap(Int.init) ?? 1
            let users = page == 1 ? Self.users(page: 1, count: 2) : ""
            return .json(200, #"{"results": [\#(users)], "totalCount": \#(total), "links": []}"#)
        }
        defer { server.stop() }
        let pages = try await loadAll(try client(server, pageSize: 2))
        #expect(pages.map(\.loadedCount).last == 2)
        #expect(pages.allSatisfy { ($0.totalCount ?? 0) <= OrgUserLoader.believableTotal })
        #expect(server.requests.count <= 3)
    }

    @Test func aCountThatRunsOutStopsAtTheFirstEmptyPage() async throws {
        let server = try ScriptedServer { request in
            let page =
                URLComponents(string: request.target)?.queryItems?.first { $0.name == "pageNum" }?.value
                .flatMap(Int.init) ?? 1
            let users = page <= 2 ? Self.users(page: page, count: 2) : ""
            return .json(200, #"{"results": [\#(users)], "totalCount": 900000, "links": []}"#)
        }
        defer { server.stop() }
        let pages = try await loadAll(try client(server, pageSize: 2))
        #expect(pages.map(\.users.count).reduce(0, +) == 4)
        // The first page, then one round of concurrent pages at most, not 450,000 requests.
        #expect(
            server.requests.count <= 1
                + AtlasClientConfiguration(baseURL: "", credentials: .apiKey(publicKey: "", privateKey: ""))
                .pageConcurrency + 1)
    }

    @Test func aNextLinkThatNeverEndsOrStandsStillIsLeft() async throws {
        // Every page the same two users and a link to the same page.
        let server = try ScriptedServer { _ in
            .json(
                200,
                #"{"results": [\#(Self.users(page: 1, count: 2))], "links": [{"rel": "next", "href": "x?pageNum=1&itemsPerPage=2"}]}"#
            )
        }
        defer { server.stop() }
        _ = try await loadAll(try client(server, pageSize: 2))
        #expect(server.requests.count == 1, "a link back to the same page is not followed")

        // Links that advance but bring back users already seen.
        let looping = try ScriptedServer { request in
            let page =
                URLComponents(string: request.target)?.queryItems?.first { $0.name == "pageNum" }?.value
                .flatMap(Int.init) ?? 1
            return .json(
                200,
                #"{"results": [\#(Self.users(page: 1, count: 2))], "links": [{"rel": "next", "href": "x?pageNum=\#(page + 1)&itemsPerPage=2"}]}"#
            )
        }
        defer { looping.stop() }
        _ = try await loadAll(try client(looping, pageSize: 2))
        #expect(looping.requests.count == 2, "a page with no new user ends the walk")
    }

    @Test func aBodyLargerThanTheLimitIsRefusedNotHeld() async throws {
        let huge = String(repeating: " ", count: 40 << 20)
        let server = try ScriptedServer { _ in .json(200, #"{"results": [], "totalCount": 0}"# + huge) }
        defer { server.stop() }
        let error = try #require(await atlasError { _ = try await self.loadAll(try self.client(server)) })
        #expect(error.description.contains("larger than 32 MiB"), "\(error)")
    }

    @Test func aGzipBombIsCutWhileItInflates() async throws {
        // 48 MiB of JSON whitespace compresses to about 48 KiB: small on the wire, too big to hold.
        let bomb = try Self.gzip(
            [UInt8](#"{"results": [], "totalCount": 0}"#.utf8) + [UInt8](repeating: 0x20, count: 48 << 20))
        #expect(bomb.count < 1 << 20)
        let server = try ScriptedServer { _ in
            ScriptedServer.Response(
                status: 200, headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: "",
                bytes: bomb)
        }
        defer { server.stop() }
        let error = try #require(await atlasError { _ = try await self.loadAll(try self.client(server)) })
        #expect(error.description.contains("larger than 32 MiB"), "\(error)")
    }

    @Test func aUserIdThatIsAPathNeverBecomesARequest() async throws {
        let server = try ScriptedServer { _ in
            .json(
                200,
                #"{"results": [{"id": "../../../groups/5f0000000000000000000001/x", "username": "eve@x", "orgMembershipStatus": "ACTIVE", "roles": {"orgRoles": ["ORG_MEMBER"]}}], "totalCount": 1}"#
            )
        }
        defer { server.stop() }
        let client = try client(server)
        let error = try #require(await atlasError { _ = try await self.loadAll(client) })
        #expect(error.description.contains("24 hex"), "\(error)")
        // And a path built from an unchecked id is not sent, signed or not.
        let write = try #require(
            await atlasError {
                _ = try await client.writeOrgRoles(
                    orgId: self.orgId, userId: "../../../groups/5f0000000000000000000001/x", roles: [.member],
                    method: .putRoles)
            })
        #expect(write.description.contains("unsafe path"), "\(write)")
        #expect(server.requests.allSatisfy { $0.target.hasPrefix("/api/atlas/v2/orgs/\(orgId)/users") })
    }

    @Test(arguments: ["1e308", "inf", "999999999999"])
    func aRetryAfterBeyondAnyReasonIsCutAndSaidSo(retryAfter: String) async throws {
        let answered = LockedBox(0)
        let server = try ScriptedServer { _ in
            var first = false
            answered.mutate {
                $0 += 1
                first = $0 == 1
            }
            return first
                ? .json(
                    429, #"{"error": 429, "errorCode": "RATE_LIMITED", "detail": "slow down"}"#,
                    headers: [("Retry-After", retryAfter)])
                : .json(200, #"{"id": "\#(orgId)", "name": "Org"}"#)
        }
        defer { server.stop() }
        var configuration = AtlasClientConfiguration(
            baseURL: server.baseURL, credentials: .apiKey(publicKey: "unused", privateKey: "unused-secret"))
        configuration.retryPolicy = RetryPolicy(maxAttempts: 2, maximumRetryAfter: 0.05)
        let client = try AtlasClient(configuration: configuration)
        let events = EventRecorder(client)
        _ = try await client.organization(id: orgId)
        #expect(
            await events.waitFor {
                if case .retryWait(_, let seconds, _, let reason) = $0 {
                    return seconds == 0.05 && reason.contains("cut to 0.05s")
                }
                return false
            }, "\(events.recorded)")
        #expect(server.requests.count == 2)
    }

    private static func gzip(_ data: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-1"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(data))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](compressed)
    }
}
