import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import AtlasAPI

/// Every kind of error, triggered with known credentials: no key, secret or token in any of its text.
@Suite("No secret in any error")
struct SecretLeakTests {
    @Test func noErrorTextHoldsASecret() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-tokens-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let wrongPrivateKey = "deadbeef-0000-1111-2222-333333333333"
        let wrongClientSecret = "mdb_sa_sk_wrongwrongwrongwrongwrongwrongwrongwrong"
        try await withSandbox(SandboxConfiguration(organizations: 1, usersPerOrganization: 300, hostileText: true)) {
            sandbox in
            let orgId = sandbox.firstOrgId
            let fast = RetryPolicy(maxAttempts: 2, initialBackoff: 0.02, maximumBackoff: 0.05)
            let owner = try AtlasClient(configuration: sandbox.clientConfiguration(retry: fast))
            var accountConfiguration = sandbox.clientConfiguration(
                credentials: sandbox.serviceAccountCredentials, retry: fast)
            accountConfiguration.cacheDirectory = directory
            let account = try AtlasClient(configuration: accountConfiguration)
            let member = sandbox.credentials.memberOnlyApiKey
            let memberClient = try AtlasClient(
                configuration: sandbox.clientConfiguration(
                    credentials: .apiKey(publicKey: member.publicKey, privateKey: member.privateKey), retry: fast))
            let wrongKey = try AtlasClient(
                configuration: sandbox.clientConfiguration(
                    credentials: .apiKey(publicKey: sandbox.credentials.apiKey.publicKey, privateKey: wrongPrivateKey)))
            let wrongSecret = try AtlasClient(
                configuration: sandbox.clientConfiguration(
                    credentials: .serviceAccount(
                        clientId: sandbox.credentials.serviceAccount.clientId, clientSecret: wrongClientSecret)))
            let user = try #require(try await loadAll(account, orgId: orgId).flatMap(\.users).first)

            var errors: [AtlasError] = []
            func collect(_ body: () async throws -> Void) async {
                if let error = await atlasError(body) { errors.append(error) }
            }
            await collect { _ = try await wrongKey.listOrganizations() }
            await collect { _ = try await wrongSecret.listOrganizations() }
            for client in [owner, account] {
                await collect { _ = try await client.orgUser(orgId: orgId, userId: String(repeating: "0", count: 24)) }
                await collect { _ = try await client.organization(id: "bad") }
                await collect {
                    _ = try await client.writeOrgRoles(
                        orgId: orgId, userId: user.id, roles: [OrgRole(rawValue: "X")], method: .patchUser)
                }
                await collect {
                    _ = try await client.get(
                        "/orgs", version: APIVersion(rawValue: "1999-01-01"), as: WirePage<WireOrganization>.self)
                }
            }
            await collect {
                _ = try await memberClient.writeOrgRoles(
                    orgId: orgId, userId: user.id, roles: [.member], method: .putRoles)
            }
            for faults in [
                SandboxFaults(rateLimit: SandboxRateLimit(capacity: 0, refillPerSecond: 0.001)),
                SandboxFaults(serverErrorRate: 1), SandboxFaults(resetRate: 1), SandboxFaults(truncatedBodyRate: 1),
                SandboxFaults(malformedBodyRate: 1),
            ] {
                await sandbox.setFaults(faults)
                await collect { _ = try await owner.organization(id: orgId) }
                await collect { _ = try await account.organization(id: orgId) }
            }
            await sandbox.setFaults(SandboxFaults(trickleBytesPerSecond: 50))
            var slow = sandbox.clientConfiguration(credentials: sandbox.serviceAccountCredentials, retry: .never)
            slow.cacheDirectory = directory
            slow.requestTimeout = 0.5
            await collect { _ = try await AtlasClient(configuration: slow).listOrganizations() }
            let task = Task { try await account.listOrganizations() }
            _ = await eventually { account.runningTransfers > 0 }
            task.cancel()
            if case .failure(let error as AtlasError) = await task.result { errors.append(error) }
            await sandbox.setFaults(SandboxFaults())

            let tokenFiles = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
                $0.hasPrefix("token-")
            }
            let tokens = try tokenFiles.compactMap { name -> String? in
                let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
                return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["accessToken"] as? String
            }
            #expect(!tokens.isEmpty)
            let clientId = sandbox.credentials.serviceAccount.clientId
            let secrets =
                [
                    sandbox.credentials.apiKey.privateKey, member.privateKey, wrongPrivateKey,
                    sandbox.credentials.serviceAccount.clientSecret, wrongClientSecret,
                    Data("\(clientId):\(sandbox.credentials.serviceAccount.clientSecret)".utf8).base64EncodedString(),
                ] + tokens

            let kinds = Set(
                errors.map { error -> String in
                    switch error.kind {
                    case .api(let status, _): "api \(status)"
                    case .httpStatus(let status, _): "http \(status)"
                    case .malformedResponse: "malformed"
                    case .transport(let code, _): "curl \(code)"
                    case .cancelled: "cancelled"
                    case .configuration: "configuration"
                    }
                })
            for expected in [
                "api 400", "api 401", "api 404", "api 406", "api 429", "malformed", "cancelled", "curl 28",
            ] {
                #expect(kinds.contains(expected), "no \(expected) error among \(kinds.sorted())")
            }
            #expect(kinds.contains { $0.hasPrefix("api 50") || $0.hasPrefix("http 50") })
            // A reset is an empty reply or a failed send or receive over HTTP/1.1, a reset stream (92) over HTTP/2.
            #expect(kinds.contains { ["curl 52", "curl 55", "curl 56", "curl 92"].contains($0) })
            for error in errors {
                let texts = [
                    error.description, String(reflecting: error), "\(error.kind)", "\(error)",
                    String(describing: error.envelope),
                ]
                for text in texts {
                    for secret in secrets { #expect(!text.contains(secret), "a secret in: \(text)") }
                    #expect(!text.contains("\u{1B}"), "an escape in: \(text)")
                }
            }
        }
    }
}
