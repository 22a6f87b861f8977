import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

/// Digest API keys and service-account tokens against the sandbox.
@Suite("Authentication")
struct AuthenticationTests {
    @Test func digestIsChallengedOnceThenTheNonceIsReused() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let orgId = sandbox.firstOrgId
            let userIds = await sandbox.userIds(orgId: orgId)
            _ = try await client.organization(id: orgId)
            for userId in userIds.prefix(4) {
                let user = try await client.orgUser(orgId: orgId, userId: userId)
                #expect(user.id == userId)
            }
            let requests = await sandbox.apiRequests()
            // One challenge for the first call; the client answers later calls with its nonce. A server
            // refusing reused nonces (ATLAS_SANDBOX_NONCES=single-use) refuses the second call's reuse,
            // which teaches the client to fetch a challenge for every call: one challenge per call.
            #expect(requests.filter { $0.status == 401 }.count == (sandbox.singleUseNonces ? 5 : 1))
            #expect(requests.filter { $0.status == 200 }.count == 5)
            #expect(requests.allSatisfy { $0.headers["user-agent"] == "atlas-roles/\(AtlasClient.version)" })
        }
    }

    @Test func aStaleNonceIsRenegotiatedWithoutFailingTheCall() async throws {
        let nonceLifetime = Patience.scaled(4)
        try await withSandbox(
            SandboxConfiguration(organizations: 1, usersPerOrganization: 5, nonceLifetimeSeconds: nonceLifetime)
        ) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration(retry: .never))
            _ = try await client.listOrganizations()
            let firstCall = await sandbox.apiRequests().map(\.status)
            let first = Date()
            // Outlive the nonce (the server's clock decides; this is not synchronisation).
            _ = await eventually { Date().timeIntervalSince(first) > Double(nonceLifetime) + 0.3 }
            _ = try await client.listOrganizations()
            // Challenged, then answered; later the stale nonce is refused (`stale=true`) and the client
            // answers the new challenge, without failing the call. Only the first and last answer of each call are fixed:
            // a pause longer than a nonce's life within a call adds a stale round, it does not fail it.
            let secondCall = Array(await sandbox.apiRequests().dropFirst(firstCall.count).map(\.status))
            #expect(firstCall.first == 401 && firstCall.last == 200, "\(firstCall)")
            #expect(secondCall.first == 401 && secondCall.last == 200, "\(secondCall)")
        }
    }

    @Test func wrongPrivateKeyIsRefusedWithTheEnvelope() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(
                configuration: sandbox.clientConfiguration(
                    credentials: .apiKey(
                        publicKey: sandbox.credentials.apiKey.publicKey, privateKey: "wrong-wrong-wrong")))
            let error = try #require(await atlasError { _ = try await client.listOrganizations() })
            #expect(error.status == 401)
            #expect(error.envelope?.error == 401)
            #expect(error.envelope?.errorCode.isEmpty == false)
            #expect(error.call?.path == "/orgs")
            #expect(error.remedy == .checkCredentials)
            // The challenge, then the one refused answer: a refusal of a fresh nonce is final.
            let requests = await sandbox.apiRequests()
            #expect(requests.map(\.status) == [401, 401])
            #expect(requests.first?.headers["authorization"] == nil && requests.last?.headers["authorization"] == nil)
            for text in [error.description, "\(error)", String(reflecting: error)] {
                #expect(!text.contains("Digest ") && !text.contains("response="), "\(text)")
            }
        }
    }

    /// Concurrent first calls wait for the one that fetches the challenge, then all answer it.
    @Test func concurrentFirstCallsShareOneChallenge() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let orgId = sandbox.firstOrgId
            let userIds = Array(await sandbox.userIds(orgId: orgId).prefix(10))
            let loaded = try await withThrowingTaskGroup(of: String.self) { group in
                for userId in userIds { group.addTask { try await client.orgUser(orgId: orgId, userId: userId).id } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(loaded == Set(userIds))
            let statuses = await sandbox.apiRequests().map(\.status)
            #expect(statuses.filter { $0 == 200 }.count == 10)
            // With single-use nonces the nine that waited reused the first call's nonce and were each
            // refused once: one challenge per call, never two.
            #expect(statuses.filter { $0 == 401 }.count == (sandbox.singleUseNonces ? 10 : 1), "\(statuses)")
        }
    }

    @Test func serviceAccountTokenIsMintedOnceAndCachedOnDisk() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-tokens-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox { sandbox in
            var configuration = sandbox.clientConfiguration(credentials: sandbox.serviceAccountCredentials)
            configuration.cacheDirectory = directory
            let client = try AtlasClient(configuration: configuration)
            // Concurrent first calls share one token request.
            async let a = client.listOrganizations()
            async let b = client.organization(id: sandbox.firstOrgId)
            async let c = loadAll(client, orgId: sandbox.firstOrgId)
            _ = try await (a, b, c)
            #expect(await sandbox.tokenRequests().count == 1)
            #expect(await client.tokensIssued() == 1)

            let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("token-") }
            #expect(files.count == 1)
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + files[0])
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            // A second client (the next run of the program) reuses the cached token.
            let second = try AtlasClient(configuration: configuration)
            _ = try await second.listOrganizations()
            #expect(await sandbox.tokenRequests().count == 1)
            #expect(await second.tokensIssued() == 0)
            #expect(await sandbox.apiRequests().allSatisfy { $0.status == 200 })
        }
    }

    @Test func expiredTokenIsRenewedBeforeUse() async throws {
        let tokenLifetime = Patience.scaled(4)
        try await withSandbox(
            SandboxConfiguration(organizations: 1, usersPerOrganization: 5, tokenLifetimeSeconds: tokenLifetime)
        ) { sandbox in
            let client = try AtlasClient(
                configuration: sandbox.clientConfiguration(credentials: sandbox.serviceAccountCredentials))
            _ = try await client.listOrganizations()
            let before = await sandbox.journal().count
            let minted = Date()
            // Wait out the token's lifetime (a property of the server's clock, not synchronisation).
            _ = await eventually { Date().timeIntervalSince(minted) > Double(tokenLifetime) + 0.2 }
            _ = try await client.listOrganizations()
            // By its own clock the client knew the token had expired and asked for a new one before
            // sending the call, instead of sending the old one to be refused. (It dates a token from
            // before it asked for it, so it never believes a token outlives the server's verdict.)
            let second = Array(await sandbox.journal().dropFirst(before))
            #expect(second.first?.path == "/api/oauth/token", "\(second.map(\.path))")
            #expect(second.last?.status == 200)
        }
    }

    @Test func aRejectedTokenIsReplacedOnceAndTheCallRetried() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-tokens-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox { sandbox in
            var configuration = sandbox.clientConfiguration(credentials: sandbox.serviceAccountCredentials)
            configuration.cacheDirectory = directory
            _ = try await AtlasClient(configuration: configuration).listOrganizations()
            // The cached token still looks valid locally but the server no longer knows it
            // (expired early, or revoked by another program).
            let name = try #require(
                try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("token-") })
            let url = URL(fileURLWithPath: directory + "/" + name)
            var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            json["accessToken"] = "not-a-token-the-server-knows"
            try JSONSerialization.data(withJSONObject: json).write(to: url)
            await sandbox.clearJournal()

            let client = try AtlasClient(configuration: configuration)
            #expect(try await client.listOrganizations().count == 1)
            #expect(await sandbox.apiRequests().map(\.status) == [401, 200])
            #expect(await sandbox.tokenRequests().count == 1)
        }
    }

    @Test func revokeForgetsTheTokenEverywhere() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-tokens-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox { sandbox in
            var configuration = sandbox.clientConfiguration(credentials: sandbox.serviceAccountCredentials)
            configuration.cacheDirectory = directory
            let client = try AtlasClient(configuration: configuration)
            _ = try await client.listOrganizations()
            try await client.revokeToken()
            let revokes = await sandbox.journal().filter { $0.path == "/api/oauth/revoke" }
            #expect(revokes.map(\.status) == [200])
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("token-") }.isEmpty
            )
            _ = try await client.listOrganizations()
            #expect(await sandbox.tokenRequests().count == 2)
            #expect(await sandbox.apiRequests().allSatisfy { $0.status == 200 })
        }
    }

    /// Atlas allows 50 token requests a minute per client (the sandbox enforces it by default): a
    /// script running the program sixty times in a minute must not run into it.
    @Test func sixtyRunsInAMinuteMintOneToken() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-tokens-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox { sandbox in
            #expect(await sandbox.faults().tokenRequestsPerMinute == 50)
            var configuration = sandbox.clientConfiguration(credentials: sandbox.serviceAccountCredentials)
            configuration.cacheDirectory = directory
            for _ in 0..<60 {
                let run = try AtlasClient(configuration: configuration)
                _ = try await run.organization(id: sandbox.firstOrgId)
            }
            #expect(await sandbox.tokenRequests().count == 1)
            #expect(await sandbox.apiRequests().allSatisfy { $0.status == 200 })
        }
    }

    @Test func wrongClientSecretFailsWithoutLoopingOrLeaking() async throws {
        try await withSandbox { sandbox in
            let secret = "mdb_sa_sk_ffffffffffffffffffffffffffffffffffffffff"
            let client = try AtlasClient(
                configuration: sandbox.clientConfiguration(
                    credentials: .serviceAccount(
                        clientId: sandbox.credentials.serviceAccount.clientId, clientSecret: secret)))
            let error = try #require(await atlasError { _ = try await client.listOrganizations() })
            #expect(error.status == 401 || error.status == 400)
            #expect(error.call?.path == "/api/oauth/token")
            #expect(error.envelope?.errorCode == "INVALID_CLIENT")
            #expect(error.remedy == .checkServiceAccountSecret)
            #expect(!error.description.contains(secret))
            #expect(await sandbox.tokenRequests().count == 1)
        }
    }
}
