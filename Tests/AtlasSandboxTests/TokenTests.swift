import AtlasSandbox
import Foundation
import Testing

/// The token endpoint as Atlas runs it: JWTs, its own limit answer, 100 active tokens per account.
@Suite struct TokenTests {
    @Test func tokensAreJWTsNamingTheAccount() async throws {
        try await withSandbox { sandbox in
            let answer = try await AuthTests.token(sandbox, client: SandboxClient(baseURL: sandbox.baseURL))
            let token = try #require(answer.json?["access_token"]?.stringValue)
            let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            #expect(parts.count == 3)
            #expect(
                parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || "-_".contains($0) } })
            var claims = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            claims += String(repeating: "=", count: (4 - claims.count % 4) % 4)
            let json = try #require(Data(base64Encoded: claims))
            let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            #expect(object["sub"] as? String == sandbox.credentials.serviceAccount.clientId)
            let issued = try #require(object["iat"] as? Int)
            #expect(object["exp"] as? Int == issued + 3600)
        }
    }

    @Test func theLimitAnswerIsAtlasOwn() async throws {
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(tokenRequestsPerMinute: 2))) { sandbox in
            let client = SandboxClient(baseURL: sandbox.baseURL)
            for _ in 0..<2 { #expect(try await AuthTests.token(sandbox, client: client).status == 200) }
            let limited = try await AuthTests.token(sandbox, client: client)
            #expect(limited.status == 429)
            #expect(limited.json?["errorCode"]?.stringValue == "RATE_LIMITED")
            #expect(
                limited.json?["detail"]?.stringValue
                    == "Resource /api/oauth/token is limited to 2 requests every 1 minutes.")
            #expect(limited.json?["parameters"]?.arrayValue == [.string("/api/oauth/token"), .int(2), .int(1)])
        }
    }

    @Test func anAccountHoldsAtMostOneHundredActiveTokens() async throws {
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(tokenRequestsPerMinute: 0))) { sandbox in
            let client = SandboxClient(baseURL: sandbox.baseURL)
            var tokens: [String] = []
            for _ in 0..<100 {
                let answer = try await AuthTests.token(sandbox, client: client)
                tokens.append(try #require(answer.json?["access_token"]?.stringValue))
            }
            #expect(Set(tokens).count == 100)
            let refused = try await AuthTests.token(sandbox, client: client)
            #expect(refused.status == 400)
            #expect(refused.json?["errorCode"]?.stringValue == "MAX_ACTIVE_TOKENS_EXCEEDED")
            #expect(try await AuthTests.revoke(tokens[0], sandbox, client: client).status == 200)
            #expect(try await AuthTests.token(sandbox, client: client).status == 200, "a revoked token frees its place")
        }
    }

    /// RFC 6749 §2.3.1: the client id and secret are form-encoded before they are joined.
    @Test func formEncodedClientCredentialsAreAccepted() async throws {
        var credentials = SandboxCredentials.random()
        credentials.serviceAccount = .init(clientId: "mdb_sa_id_1", clientSecret: "s:e%c r+t")
        try await withSandbox(SandboxConfiguration(fixedCredentials: credentials)) { sandbox in
            let answer = try await SandboxClient(baseURL: sandbox.baseURL).raw(
                "POST", "/api/oauth/token",
                headers: [
                    "Authorization": AuthTests.basic("mdb_sa_id_1", "s%3Ae%25c%20r%2Bt"),
                    "Content-Type": "application/x-www-form-urlencoded",
                ], body: "grant_type=client_credentials")
            #expect(answer.status == 200)
        }
    }
}
