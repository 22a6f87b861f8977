import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import AtlasAPI

/// What real Atlas does that its documents leave implicit, met by the client.
@Suite("Atlas behaviours")
struct AtlasBehaviourTests {
    private static let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    private static let tokenAnswer = #"{"access_token":"\#(token)","token_type":"Bearer","expires_in":3600}"#
    private static let orgId = "5f1d7f3b8e4a2c0012345678"

    private func serviceAccountClient(_ server: ScriptedServer, clientSecret: String = "mdb_sa_sk_secret")
        throws -> AtlasClient
    {
        var configuration = AtlasClientConfiguration(
            baseURL: server.baseURL, credentials: .serviceAccount(clientId: "mdb_sa_id_1", clientSecret: clientSecret))
        configuration.retryPolicy = RetryPolicy(maxAttempts: 1, initialBackoff: 0.01, maximumBackoff: 0.01)
        configuration.proxy = .direct
        return try AtlasClient(configuration: configuration)
    }

    /// A role the account lacks is 401 `USER_UNAUTHORIZED`: the token is fine, so none is minted again.
    @Test func aMissingRoleIsNotARefusedToken() async throws {
        let server = try ScriptedServer { request in
            if request.target.hasPrefix("/api/oauth/token") { return .json(200, Self.tokenAnswer) }
            return .json(
                401,
                #"{"error":401,"errorCode":"USER_UNAUTHORIZED","detail":"Current user is not authorized to perform this action.","parameters":null}"#
            )
        }
        defer { server.stop() }
        let client = try serviceAccountClient(server)
        for _ in 0..<3 {
            let error = await #expect(throws: AtlasError.self) {
                try await client.writeOrgRoles(
                    orgId: Self.orgId, userId: "5f1d7f3b8e4a2c0012345679", roles: [.member], method: .patchUser)
            }
            #expect(error?.remedy == .needsOrganizationOwner)
            #expect(error?.envelope?.errorCode == "USER_UNAUTHORIZED")
        }
        #expect(server.requests.filter { $0.target.hasPrefix("/api/oauth/token") }.count == 1)
    }

    /// A refused token is replaced once; a server that refuses the new one too is believed for a minute
    /// instead of being asked for a token per call (the endpoint allows 50 a minute).
    @Test func aRefusedTokenIsRenewedAtMostOnceAMinute() async throws {
        let server = try ScriptedServer { request in
            if request.target.hasPrefix("/api/oauth/token") { return .json(200, Self.tokenAnswer) }
            // Atlas's 401 for refused credentials may carry no errorCode.
            return .json(
                401, #"{"error":401,"reason":"Unauthorized","detail":"You are not authorized for this resource."}"#)
        }
        defer { server.stop() }
        let client = try serviceAccountClient(server)
        let start = ContinuousClock.now
        for _ in 0..<4 {
            let error = await #expect(throws: AtlasError.self) { try await client.listOrganizations() }
            #expect(error?.status == 401)
            #expect(error?.envelope?.errorCode == "", "a 401 without errorCode is still read as an envelope")
            #expect(error?.remedy == .checkCredentials)
        }
        // One more renewal is allowed for each minute the calls took (a sanitizer build on a loaded
        // machine can take minutes over them); a token per call would exceed that.
        let minutes = Int((ContinuousClock.now - start).components.seconds / 60)
        let tokenRequests = server.requests.filter { $0.target.hasPrefix("/api/oauth/token") }.count
        #expect((2...2 + minutes).contains(tokenRequests), "\(tokenRequests) token requests in \(minutes) min")
    }

    /// The client id and secret are form-encoded before they are joined for Basic auth (RFC 6749).
    @Test func clientCredentialsAreFormEncodedBeforeBasicAuth() async throws {
        let server = try ScriptedServer { request in
            if request.target.hasPrefix("/api/oauth/token") { return .json(200, Self.tokenAnswer) }
            return .json(200, #"{"results":[],"totalCount":0,"links":[]}"#, headers: [])
        }
        defer { server.stop() }
        let secret = "s:e%c r+t"
        _ = try? await serviceAccountClient(server, clientSecret: secret).listOrganizations()
        let basic = try #require(
            server.requests.first { $0.target.hasPrefix("/api/oauth/token") }?.headers["authorization"])
        let decoded = try #require(Data(base64Encoded: String(basic.dropFirst("Basic ".count))))
        #expect(String(decoding: decoded, as: UTF8.self) == "mdb_sa_id_1:s%3Ae%25c%20r%2Bt")
    }

    /// A 2023-01-01 body served where 2025-02-19 was asked for is refused, not read as role-less users.
    @Test func aBodyOfAnotherVersionIsNeverRead() async throws {
        let legacyPage =
            #"{"results":[{"id":"5f1d7f3b8e4a2c0012345679","username":"a@example.com","roles":[{"orgId":"5f1d7f3b8e4a2c0012345678","roleName":"ORG_OWNER"}]}],"totalCount":1,"links":[]}"#
        let server = try ScriptedServer { _ in
            ScriptedServer.Response(
                status: 200, headers: [("Content-Type", "application/vnd.atlas.2023-01-01+json;charset=utf-8")],
                body: legacyPage)
        }
        defer { server.stop() }
        var configuration = AtlasClientConfiguration(
            baseURL: server.baseURL, credentials: .apiKey(publicKey: "pub", privateKey: "priv"))
        configuration.retryPolicy = RetryPolicy(maxAttempts: 1, initialBackoff: 0.01, maximumBackoff: 0.01)
        configuration.proxy = .direct
        let client = try AtlasClient(configuration: configuration)
        let error = await #expect(throws: AtlasError.self) {
            _ = try await loadAll(client, orgId: Self.orgId)
        }
        #expect("\(String(describing: error))".contains("2023-01-01"))
    }

    /// Atlas lists ACTIVE and PENDING users unless asked: the client asks for every status it shows.
    @Test func theClientAsksForEveryStatusItShows() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let users = try await loadAll(client, orgId: sandbox.firstOrgId).flatMap(\.users)
            #expect(users.count == sandbox.organizations[0].userCount)
            #expect(users.contains { $0.status == .invitationExpired })
            let expired = try #require(users.first { $0.status == .invitationExpired })
            #expect(try await client.orgUser(orgId: sandbox.firstOrgId, userId: expired.id).id == expired.id)
            let lists = await sandbox.apiRequests(pathSuffix: "/users").filter { $0.status == 200 }
            #expect(lists.allSatisfy { $0.query.contains("orgMembershipStatuses=INVITATION_REJECTED") })
        }
    }

    /// The sandbox's tokens are JWTs and pass the client's token check.
    @Test func serviceAccountTokensAreJWTs() async throws {
        try await withSandbox { sandbox in
            var configuration = sandbox.clientConfiguration(credentials: sandbox.serviceAccountCredentials)
            configuration.cacheDirectory = nil
            let client = try AtlasClient(configuration: configuration)
            _ = try await client.listOrganizations()
            #expect(await client.tokensIssued() == 1)
            let answer = try #require(await sandbox.tokenRequests().first)
            #expect(answer.status == 200)
        }
    }

    /// A 429 without `Retry-After` waits as Atlas's docs show (10, 20, 40 s), and every wait is an event.
    @Test func aRateLimitWithoutRetryAfterFollowsTheDocumentedSchedule() async throws {
        #expect((1...4).map { RetryPolicy.standard.rateLimitWait(afterAttempt: $0) } == [10, 20, 40, 40])
        let server = try ScriptedServer { _ in
            .json(429, #"{"error":429,"errorCode":"RATE_LIMITED_TOKEN_BUCKET","detail":"Rate limit exceeded."}"#)
        }
        defer { server.stop() }
        var configuration = AtlasClientConfiguration(
            baseURL: server.baseURL, credentials: .apiKey(publicKey: "pub", privateKey: "priv"))
        // The same schedule, scaled down a hundredfold so the test does not wait a minute.
        configuration.retryPolicy = RetryPolicy(maxAttempts: 4, rateLimitBackoff: [0.1, 0.2, 0.4])
        configuration.proxy = .direct
        let client = try AtlasClient(configuration: configuration)
        let recorder = EventRecorder(client)
        await #expect(throws: AtlasError.self) { try await client.listOrganizations() }
        #expect(server.requests.count == 4)
        #expect(await recorder.waitFor { if case .retryWait(_, _, 4, _) = $0 { true } else { false } })
        let waits = recorder.recorded.compactMap { event -> Double? in
            if case .retryWait(_, let seconds, _, _) = event { seconds } else { nil }
        }
        #expect(waits == [0.1, 0.2, 0.4])
    }
}
