import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@Suite("Authentication")
struct AuthTests {
    static let orgs = "/api/atlas/v2/orgs"
    static let accept = ["Accept": "application/vnd.atlas.2023-01-01+json"]

    @Test func missingCredentialsGetTheChallengeAndEnvelope() async throws {
        try await withSandbox { sandbox in
            let answer = try await SandboxClient(baseURL: sandbox.baseURL).raw("GET", Self.orgs, headers: Self.accept)
            #expect(answer.status == 401)
            #expect(answer.header("Content-Type") == "application/json")
            let challenge = try #require(answer.header("WWW-Authenticate"))
            #expect(challenge.hasPrefix("Digest realm=\"MMS Public API\", domain=\"\", nonce=\""))
            #expect(challenge.hasSuffix("algorithm=MD5, qop=\"auth\", stale=false"))
            #expect(answer.json?["error"]?.intValue == 401)
            #expect(answer.json?["errorCode"]?.stringValue == "UNEXPECTED_ERROR")
            #expect(answer.json?["detail"]?.stringValue == "You are not authorized for this resource.")
            #expect(answer.json?["reason"]?.stringValue == "Unauthorized")
        }
    }

    @Test(arguments: ["MD5", "SHA-256"])
    func digestSucceedsWithEitherAlgorithm(_ algorithm: String) async throws {
        try await withSandbox { sandbox in
            let answer = try await SandboxClient(sandbox, algorithm: algorithm).call("GET", Self.orgs)
            #expect(answer.status == 200)
        }
    }

    @Test func wrongPrivateKeyIsRefused() async throws {
        try await withSandbox { sandbox in
            let key = SandboxCredentials.APIKey(publicKey: sandbox.credentials.apiKey.publicKey, privateKey: "wrong")
            let answer = try await SandboxClient(baseURL: sandbox.baseURL, key: key).call("GET", Self.orgs)
            #expect(answer.status == 401)
            #expect(answer.json?["errorCode"]?.stringValue == "UNEXPECTED_ERROR")
            #expect(answer.header("WWW-Authenticate")?.contains("stale=false") == true)
        }
    }

    @Test func unknownPublicKeyIsRefused() async throws {
        try await withSandbox { sandbox in
            let key = SandboxCredentials.APIKey(publicKey: "nobody", privateKey: sandbox.credentials.apiKey.privateKey)
            let answer = try await SandboxClient(baseURL: sandbox.baseURL, key: key).call("GET", Self.orgs)
            #expect(answer.status == 401)
        }
    }

    @Test func nonceReuseWithIncreasingCountIsAcceptedAndReplayRefused() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            #expect(try await client.call("GET", Self.orgs).status == 200)  // nc=1
            #expect(try await client.call("GET", Self.orgs).status == 200)  // same nonce, nc=2
            #expect(try await client.call("GET", Self.orgs).status == 200)  // nc=3
            var replay = client.digest!
            var headers = Self.accept
            headers["Authorization"] = replay.header(method: "GET", uri: Self.orgs, forcedCount: 2)
            let replayed = try await client.raw("GET", Self.orgs, headers: headers)
            #expect(replayed.status == 401)
            #expect(replayed.header("WWW-Authenticate")?.contains("stale=false") == true)
        }
    }

    @Test func countsArrivingOutOfOrderAreAcceptedOnceEach() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            #expect(try await client.call("GET", Self.orgs).status == 200)  // nc=1
            var digest = client.digest!
            var statuses: [Int] = []
            // 3 before 2, as requests signed in order on concurrent HTTP/2 streams may arrive; then 2 again.
            for count in [3, 2, 2] {
                var headers = Self.accept
                headers["Authorization"] = digest.header(method: "GET", uri: Self.orgs, forcedCount: count)
                statuses.append(try await client.raw("GET", Self.orgs, headers: headers).status)
            }
            #expect(statuses == [200, 200, 401], "a count is refused only when seen before")
        }
    }

    @Test func expiredNonceAnswersStaleAndTheRetrySucceeds() async throws {
        // Three seconds (more in a sanitizer build): the first call's challenge and answer fit in them on
        // a busy machine; the flow then waits (without a bound that matters) for the nonce to go stale.
        try await withSandbox(SandboxConfiguration(nonceLifetimeSeconds: Patience.scaled(3)), Self.staleNonceFlow)
    }

    static func staleNonceFlow(_ sandbox: AtlasSandbox) async throws {
        let client = SandboxClient(sandbox)
        let first = try await client.call("GET", orgs)
        #expect(first.status == 200)
        let becameStale = await eventually {
            var headers = accept
            headers["Authorization"] = client.digest!.header(method: "GET", uri: orgs)
            let answer = try? await client.raw("GET", orgs, headers: headers)
            return answer?.status == 401 && answer?.header("WWW-Authenticate")?.contains("stale=true") == true
        }
        #expect(becameStale)
        // The client's helper answers a stale challenge by retrying with the new nonce.
        let retried = try await client.call("GET", orgs)
        #expect(retried.status == 200)
    }

    @Test func forgedNonceWithRightKeyIsStale() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            client.digest?.nonce = "bm90LWlzc3VlZC1ieS10aGUtc2VydmVy"
            var headers = Self.accept
            headers["Authorization"] = client.digest!.header(method: "GET", uri: Self.orgs)
            let answer = try await client.raw("GET", Self.orgs, headers: headers)
            #expect(answer.status == 401)
            #expect(answer.header("WWW-Authenticate")?.contains("stale=true") == true)
        }
    }

    @Test func digestURIMustMatchTheRequest() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            _ = try await client.call("GET", Self.orgs)
            var headers = Self.accept
            headers["Authorization"] = client.digest!.header(method: "GET", uri: "/api/atlas/v2/orgs/other")
            #expect(try await client.raw("GET", Self.orgs, headers: headers).status == 401)
        }
    }

    @Test func memberOnlyKeyReadsButCannotWrite() async throws {
        try await withSandbox { sandbox in
            let fixed = await Fixtures.fixedUsers(sandbox)
            let client = SandboxClient(baseURL: sandbox.baseURL, key: sandbox.credentials.memberOnlyApiKey)
            #expect(try await client.call("GET", Self.orgs).status == 200)
            let put = try await client.call(
                "PUT", "/api/atlas/v2/orgs/\(fixed.orgId)/users/\(fixed.secondOwner)/roles",
                body: #"{"orgRoles":["ORG_MEMBER"]}"#)
            #expect(put.status == 401)
            #expect(put.json?["errorCode"]?.stringValue == "USER_UNAUTHORIZED")
            #expect(put.header("Content-Type") == "application/json")
            let invites = try await client.call("GET", "/api/atlas/v2/orgs/\(fixed.orgId)/invites")
            #expect(invites.status == 401)
            #expect(await sandbox.orgUserRoles(orgId: fixed.orgId, userId: fixed.secondOwner) == ["ORG_OWNER"])
        }
    }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    static func token(_ sandbox: AtlasSandbox, client: SandboxClient) async throws -> HTTPResult {
        let account = sandbox.credentials.serviceAccount
        return try await client.raw(
            "POST", "/api/oauth/token",
            headers: [
                "Authorization": basic(account.clientId, account.clientSecret),
                "Content-Type": "application/x-www-form-urlencoded",
            ], body: "grant_type=client_credentials")
    }

    static func revoke(_ token: String, _ sandbox: AtlasSandbox, client: SandboxClient) async throws -> HTTPResult {
        let account = sandbox.credentials.serviceAccount
        return try await client.raw(
            "POST", "/api/oauth/revoke", headers: ["Authorization": basic(account.clientId, account.clientSecret)],
            body: "token=\(token)&token_type_hint=access_token")
    }

    @Test func serviceAccountTokenWorksUntilRevoked() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(baseURL: sandbox.baseURL)
            let answer = try await Self.token(sandbox, client: client)
            #expect(answer.status == 200)
            #expect(answer.json?["token_type"]?.stringValue == "Bearer")
            #expect(answer.json?["expires_in"]?.intValue == 3600)
            let token = try #require(answer.json?["access_token"]?.stringValue)
            var headers = Self.accept
            headers["Authorization"] = "Bearer \(token)"
            #expect(try await client.raw("GET", Self.orgs, headers: headers).status == 200)
            #expect(try await Self.revoke(token, sandbox, client: client).status == 200)
            let after = try await client.raw("GET", Self.orgs, headers: headers)
            #expect(after.status == 401)
            #expect(after.header("WWW-Authenticate")?.contains("invalid_token") == true)
            let journal = await sandbox.journal()
            let recorded = journal.map { "\($0.headers) \($0.body ?? "")" }.joined()
            #expect(!recorded.contains(token))
            #expect(!recorded.contains(sandbox.credentials.serviceAccount.clientSecret))
            #expect(journal.contains { $0.body == "token=[REDACTED]&token_type_hint=access_token" })
        }
    }

    @Test func tokensExpireAfterTheirLifetime() async throws {
        // Four seconds (more in a sanitizer build): the token must still be good when first used, even on
        // a busy machine.
        try await withSandbox(SandboxConfiguration(tokenLifetimeSeconds: Patience.scaled(4))) { sandbox in
            let client = SandboxClient(baseURL: sandbox.baseURL)
            let token = try #require(try await Self.token(sandbox, client: client).json?["access_token"]?.stringValue)
            var headers = Self.accept
            headers["Authorization"] = "Bearer \(token)"
            #expect(try await client.raw("GET", Self.orgs, headers: headers).status == 200)
            let expired = await eventually {
                (try? await client.raw("GET", Self.orgs, headers: headers))?.status == 401
            }
            #expect(expired)
        }
    }

    @Test func tokenEndpointRefusesWrongClientAndGrant() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(baseURL: sandbox.baseURL)
            let account = sandbox.credentials.serviceAccount
            // A raw socket here: Linux URLSession stalls on a 401 that carries a Basic challenge.
            let wrong = try await RawSocket.exchange(
                port: sandbox.port,
                request: "POST /api/oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Authorization: \(Self.basic(account.clientId, "nope"))\r\nContent-Length: 29\r\n\r\n"
                    + "grant_type=client_credentials")
            let reply = String(decoding: wrong.bytes, as: UTF8.self)
            #expect(reply.hasPrefix("HTTP/1.1 401"))
            #expect(reply.contains("\"errorCode\":\"INVALID_CLIENT\""))
            let grant = try await client.raw(
                "POST", "/api/oauth/token",
                headers: ["Authorization": Self.basic(account.clientId, account.clientSecret)],
                body: "grant_type=password")
            #expect(grant.status == 400)
            #expect(grant.json?["errorCode"]?.stringValue == "UNSUPPORTED_GRANT_TYPE")
            let bogus = try await client.raw(
                "GET", Self.orgs, headers: ["Authorization": "Bearer forged", "Accept": Self.accept["Accept"]!])
            #expect(bogus.status == 401)
        }
    }
}
