import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import AtlasAPI

/// What a run leaves the next one in the cache directory: the Digest challenge its key had accepted
/// and each organization's size, so that a script calling the program again and again starts signing
/// at once and asks for every page of a listing together.
@Suite("Between runs")
struct BetweenRunsTests {
    private func configuration(_ sandbox: AtlasSandbox, cache: URL) -> AtlasClientConfiguration {
        var configuration = sandbox.clientConfiguration()
        configuration.cacheDirectory = cache.path
        return configuration
    }

    private func listEveryone(_ configuration: AtlasClientConfiguration, orgId: String) async throws -> [UserPage] {
        let client = try AtlasClient(configuration: configuration)
        var pages: [UserPage] = []
        for try await page in client.orgUsers(orgId: orgId) { pages.append(page) }
        return pages
    }

    @Test func aSecondRunSignsItsFirstRequestsWithTheRememberedNonce() async throws {
        let cache = temporaryDirectory("atlas-roles-between-runs")
        defer { try? FileManager.default.removeItem(at: cache) }
        try await withSandbox(SandboxConfiguration(organizations: 1, usersPerOrganization: 1_200)) { sandbox in
            let configuration = configuration(sandbox, cache: cache)
            _ = try await listEveryone(configuration, orgId: sandbox.firstOrgId)
            await sandbox.clearJournal()

            let pages = try await listEveryone(configuration, orgId: sandbox.firstOrgId)
            #expect(pages.flatMap(\.users).count == 1_200)
            let journal = await sandbox.apiRequests()
            if sandbox.singleUseNonces {
                // The first run found every nonce spent after one request and forgot it.
                #expect(journal.filter { $0.status == 401 }.count == journal.filter(\.authenticated).count)
            } else {
                #expect(journal.count == 3, "three pages, no challenge: \(journal.map(\.status))")
                #expect(journal.allSatisfy { $0.status == 200 && $0.authenticated })
            }
        }
    }

    @Test func runsSideBySideSignWithCountsTheOtherNeverUsed() async throws {
        let cache = temporaryDirectory("atlas-roles-between-runs")
        defer { try? FileManager.default.removeItem(at: cache) }
        try await withSandbox(SandboxConfiguration(organizations: 1, usersPerOrganization: 2_400)) { sandbox in
            let configuration = configuration(sandbox, cache: cache)
            let orgId = sandbox.firstOrgId
            _ = try await listEveryone(configuration, orgId: orgId)
            // Both take their counts from the memory before either signs a page; the sandbox refuses a
            // count it has seen for a nonce (RFC 7616 §3.4), so a shared count would show as a 401.
            // The second starts once the first has taken its block (runs that start in the same instant
            // may read the same count; one of them is then refused once and answers a fresh challenge).
            let first = try AtlasClient(configuration: configuration)
            _ = try await first.organization(id: orgId)
            let second = try AtlasClient(configuration: configuration)
            _ = try await second.organization(id: orgId)
            await sandbox.clearJournal()
            async let one = first.orgUsers(orgId: orgId).reduce(0) { $0 + $1.users.count }
            async let other = second.orgUsers(orgId: orgId).reduce(0) { $0 + $1.users.count }
            #expect(try await one == 2_400)
            #expect(try await other == 2_400)
            if !sandbox.singleUseNonces {
                let refused = await sandbox.apiRequests().filter { $0.status == 401 }
                #expect(refused.isEmpty, "\(refused.count) requests signed with a count the other run used")
            }
        }
    }

    @Test func aNonceTheServerForgotCostsARefusalNotAFailure() async throws {
        let cache = temporaryDirectory("atlas-roles-between-runs")
        defer { try? FileManager.default.removeItem(at: cache) }
        try await withSandbox(SandboxConfiguration(organizations: 1, usersPerOrganization: 1_200)) { sandbox in
            let configuration = configuration(sandbox, cache: cache)
            let orgId = sandbox.firstOrgId
            // A nonce this server never issued (as after a restart, or once it aged out): remembered as if
            // an earlier run had it accepted. No clock involved, so a slow machine cannot age a fresh one.
            let forgotten = try #require(
                DigestChallenge.challenges(
                    in: #"Digest realm="MMS Public API", domain="", nonce="Zm9yZ290dGVu", algorithm=MD5, qop="auth""#
                ).first)
            let memory = DigestNonceMemory(
                directory: cache.path, baseURL: try configuration.normalizedBaseURL(),
                username: sandbox.credentials.apiKey.publicKey)
            memory.store(forgotten, reservedThrough: 7, firstUsed: Date().timeIntervalSince1970)

            let client = try AtlasClient(configuration: configuration)
            let users = try await client.orgUsers(orgId: orgId).reduce(into: [OrgUser]()) { $0 += $1.users }
            #expect(users.count == 1_200)
            #expect(Set(users.map(\.id)).count == 1_200)
            #expect(await sandbox.apiRequests().contains { $0.status == 401 }, "the forgotten nonce was offered")
            #expect(memory.load(now: Date())?.challenge.nonce != forgotten.nonce, "the fresh nonce replaced it")
            if !sandbox.singleUseNonces {
                // The refusal of a remembered nonce is no verdict on reuse: the fresh nonce serves on.
                await sandbox.clearJournal()
                _ = try await client.organization(id: orgId)
                _ = try await client.organization(id: orgId)
                #expect(await sandbox.apiRequests().map(\.status) == [200, 200])
            }
        }
    }

    @Test func aRememberedSizeAsksForEveryPageAtOnce() async throws {
        let cache = temporaryDirectory("atlas-roles-between-runs")
        defer { try? FileManager.default.removeItem(at: cache) }
        // Each answer is held long enough that requests started together are in flight together.
        try await withSandbox(
            SandboxConfiguration(
                organizations: 1, usersPerOrganization: 5_000, faults: SandboxFaults(latencyMs: Patience.scaled(1_000)))
        ) { sandbox in
            let configuration = configuration(sandbox, cache: cache)
            let orgId = sandbox.firstOrgId
            let cold = try AtlasClient(configuration: configuration)
            _ = try await cold.orgUsers(orgId: orgId).reduce(0) { $0 + $1.users.count }
            // The first page went alone: the count it carries decided the other nine.
            #expect(cold.peakConcurrentTransfers <= 9)

            let warm = try AtlasClient(configuration: configuration)
            let pages = try await warm.orgUsers(orgId: orgId).reduce(into: [UserPage]()) { $0.append($1) }
            #expect(pages.flatMap(\.users).count == 5_000)
            #expect(pages.first?.pageNumber == 1, "the page with the count is handed over first")
            #expect(pages.first?.totalCount == 5_000)
            #expect(warm.peakConcurrentTransfers == 10, "all ten pages were in flight together")
        }
    }

    @Test(arguments: [(5_000, 1_200), (600, 5_000), (0, 501), (1_000_001, 600)])
    func aWrongRememberedSizeLosesNoUser(remembered: Int, actual: Int) async throws {
        let cache = temporaryDirectory("atlas-roles-between-runs")
        defer { try? FileManager.default.removeItem(at: cache) }
        try await withSandbox(SandboxConfiguration(organizations: 1, usersPerOrganization: actual)) { sandbox in
            let configuration = configuration(sandbox, cache: cache)
            let orgId = sandbox.firstOrgId
            let memory = OrgSizeMemory(directory: cache.path, baseURL: try configuration.normalizedBaseURL())
            memory.store(userCount: remembered, orgId: orgId)

            let pages = try await listEveryone(configuration, orgId: orgId)
            let users = pages.flatMap(\.users)
            #expect(users.count == actual)
            #expect(Set(users.map(\.id)) == Set(await sandbox.userIds(orgId: orgId)))
            #expect(pages.first?.pageNumber == 1)
            #expect(pages.map(\.loadedCount) == pages.map(\.loadedCount).sorted(), "progress only grows")
            #expect(pages.last?.loadedCount == actual)
            #expect(memory.userCount(orgId: orgId) == actual, "the memory now holds the count the server gave")
        }
    }

    @Test func aMemoryFileThatIsNotThisRunsIsIgnored() throws {
        let cache = temporaryDirectory("atlas-roles-between-runs")
        defer { try? FileManager.default.removeItem(at: cache) }
        let now = Date()
        let memory = DigestNonceMemory(
            directory: cache.path, baseURL: "https://cloud.mongodb.com", username: "abcdefgh")
        let challenge = try #require(
            DigestChallenge.challenges(
                in:
                    #"Digest realm="MMS Public API", domain="", nonce="bm9uY2U=", algorithm=MD5, qop="auth", stale=false"#
            ).first)
        memory.store(challenge, reservedThrough: 300, firstUsed: now.timeIntervalSince1970)
        let remembered = try #require(memory.load(now: now))
        #expect(remembered.challenge == challenge)
        #expect(remembered.lastCount == 300)

        // Another key, another server, or a nonce too old to offer.
        #expect(
            DigestNonceMemory(directory: cache.path, baseURL: memory.baseURL, username: "other").load(now: now) == nil)
        #expect(
            DigestNonceMemory(directory: cache.path, baseURL: "https://evil", username: "abcdefgh").load(now: now)
                == nil)
        #expect(memory.load(now: now.addingTimeInterval(DigestNonceMemory.maximumAge + 1)) == nil)

        // A planted file: a nonce that would break out of the header, a count about to wrap.
        func plant(_ edit: (inout DigestNonceMemory.Saved) -> Void) throws {
            var saved = DigestNonceMemory.Saved(
                baseURL: memory.baseURL, username: memory.username, realm: "MMS Public API", nonce: "bm9uY2U=",
                opaque: nil, algorithm: "MD5", qopAuth: true, userhash: false, reservedThrough: 1,
                firstUsed: now.timeIntervalSince1970)
            edit(&saved)
            try JSONEncoder().encode(saved).write(to: cache.appendingPathComponent(memory.fileName))
        }
        try plant { _ in }
        #expect(memory.load(now: now) != nil, "the planted file is well-formed otherwise")
        try plant { $0.nonce = "abc\r\nX-Injected: 1" }
        #expect(memory.load(now: now) == nil)
        try plant { $0.opaque = String(repeating: "a", count: 2_000) }
        #expect(memory.load(now: now) == nil)
        try plant { $0.reservedThrough = UInt32.max - 10 }
        #expect(memory.load(now: now) == nil)
        try plant { $0.algorithm = "SHA-1" }
        #expect(memory.load(now: now) == nil)

        // Never through a link another user planted.
        let file = cache.appendingPathComponent(memory.fileName)
        try FileManager.default.removeItem(at: file)
        let elsewhere = cache.appendingPathComponent("elsewhere.json")
        try plant { _ in }
        try FileManager.default.moveItem(at: file, to: elsewhere)
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: elsewhere)
        #expect(memory.load(now: now) == nil)
    }

    @Test func aRefusedRememberedNonceIsNoVerdictOnReuse() throws {
        let cache = temporaryDirectory("atlas-roles-between-runs")
        defer { try? FileManager.default.removeItem(at: cache) }
        let memory = DigestNonceMemory(
            directory: cache.path, baseURL: "https://cloud.mongodb.com", username: "abcdefgh")
        let header = #"Digest realm="MMS Public API", nonce="%@", algorithm=MD5, qop="auth", stale=false"#
        let old = try #require(
            DigestChallenge.challenges(in: header.replacingOccurrences(of: "%@", with: "b2xk")).first)
        let fresh = try #require(
            DigestChallenge.challenges(in: header.replacingOccurrences(of: "%@", with: "bmV3")).first)
        memory.store(old, reservedThrough: 40, firstUsed: Date().timeIntervalSince1970)

        let session = DigestSession(memory: memory)
        let attempt = session.nextAttempt()
        guard case .signed(let used, let count, true) = attempt else {
            Issue.record("the first request is signed with the remembered nonce: \(attempt)")
            return
        }
        #expect(used == old)
        #expect(count == 41, "after every count an earlier run reserved")
        #expect(try #require(memory.load(now: Date())).lastCount > 41, "this run's counts are reserved before use")
        // Another run used the count, or the server forgot the nonce: refused without `stale`.
        _ = session.answer(fresh, refused: attempt)
        #expect(!session.singleUseNonces)
        #expect(session.challenge == fresh)
    }

    /// The demo's sandbox listens on a new port each run: one file per server would pile up.
    @Test func filesOfOtherServersPastTheirAgeAreSweptAway() throws {
        let cache = temporaryDirectory("atlas-roles-between-runs")
        defer { try? FileManager.default.removeItem(at: cache) }
        let files = FileManager.default
        try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: cache.path)
        func plant(_ name: String, age: TimeInterval) throws {
            let url = cache.appendingPathComponent(name)
            try Data("{}".utf8).write(to: url)
            try files.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: url.path)
        }
        try plant("digest-oldserver.json", age: DigestNonceMemory.maximumAge + 60)
        try plant("digest-youngserver.json", age: 10)
        try plant("org-size-oldserver.json", age: OrgSizeMemory.maximumAge + 60)
        try plant("org-size-youngserver.json", age: 3600)
        try plant("token-oldaccount.json", age: 30 * 24 * 3600)

        let challenge = try #require(
            DigestChallenge.challenges(in: #"Digest realm="MMS Public API", nonce="bm9uY2U=", qop="auth""#).first)
        let memory = DigestNonceMemory(directory: cache.path, baseURL: "https://cloud.mongodb.com", username: "key")
        memory.store(challenge, reservedThrough: 1, firstUsed: Date().timeIntervalSince1970)
        OrgSizeMemory(directory: cache.path, baseURL: "https://cloud.mongodb.com").store(userCount: 12, orgId: "org")

        let left = Set(try files.contentsOfDirectory(atPath: cache.path))
        #expect(!left.contains("digest-oldserver.json"))
        #expect(!left.contains("org-size-oldserver.json"))
        #expect(left.isSuperset(of: ["digest-youngserver.json", "org-size-youngserver.json", "token-oldaccount.json"]))
        #expect(left.contains(memory.fileName))
        #expect(left.count == 5, "\(left.sorted())")
    }
}
