import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import AtlasAPI

/// What stands between the client and Atlas: a private CA, a proxy, HTTP/2, a strict Digest server.
@Suite("Network path")
struct NetworkPathTests {
    private static let smallOrganization = SandboxConfiguration(organizations: 1, usersPerOrganization: 30)

    // MARK: - Trust

    @Test func sslCertFileTrustsAPrivateCertificateAuthority() async throws {
        try await withSandbox(Self.smallOrganization, transport: .https) { sandbox in
            let caFile = try #require(sandbox.caCertificatePath)
            for variable in ["SSL_CERT_FILE", "CURL_CA_BUNDLE"] {
                var configuration = sandbox.clientConfiguration()
                configuration.certificateTrust = .environment([variable: caFile])
                let organizations = try await AtlasClient(configuration: configuration).listOrganizations()
                #expect(organizations.map(\.id) == [sandbox.firstOrgId], "\(variable)")
            }
        }
    }

    @Test func anUntrustedCertificateIsRefusedWithItsRemedy() async throws {
        try await withSandbox(Self.smallOrganization, transport: .https) { sandbox in
            var configuration = sandbox.clientConfiguration()
            configuration.certificateTrust = .system
            let error = await #expect(throws: AtlasError.self) {
                try await AtlasClient(configuration: configuration).listOrganizations()
            }
            #expect(error?.remedy == .trustCertificateAuthority)
            #expect(await sandbox.journal().isEmpty, "nothing was sent to a server that was not trusted")
        }
    }

    /// `SSL_CERT_FILE` adds to the CA directory instead of replacing it: one server is trusted through
    /// the file, another through a hashed directory (where the system's CAs live), both at once.
    @Test func caFileAndCaDirectoryAreBothTrusted() async throws {
        try await withSandbox(Self.smallOrganization, transport: .https) { first in
            try await withSandbox(Self.smallOrganization, transport: .https) { second in
                let directory = temporaryDirectory("atlas-roles-ca-dir")
                defer { try? FileManager.default.removeItem(at: directory) }
                let secondCA = try #require(second.caCertificatePath)
                let hash = try Self.subjectHash(ofCertificateAt: secondCA)
                try FileManager.default.copyItem(
                    atPath: secondCA, toPath: directory.appendingPathComponent("\(hash).0").path)
                let trust = CertificateTrust.environment([
                    "SSL_CERT_FILE": try #require(first.caCertificatePath), "SSL_CERT_DIR": directory.path,
                ])
                for sandbox in [first, second] {
                    var configuration = sandbox.clientConfiguration()
                    configuration.certificateTrust = trust
                    let organizations = try await AtlasClient(configuration: configuration).listOrganizations()
                    #expect(organizations.map(\.id) == [sandbox.firstOrgId])
                }
                var fileOnly = second.clientConfiguration()
                fileOnly.certificateTrust = .environment(["SSL_CERT_FILE": try #require(first.caCertificatePath)])
                await #expect(throws: AtlasError.self) {
                    try await AtlasClient(configuration: fileOnly).listOrganizations()
                }
            }
        }
    }

    @Test func trustFromTheEnvironment() {
        #expect(CertificateTrust.environment([:]) == .system)
        #expect(
            CertificateTrust.environment(["SSL_CERT_FILE": "/a.pem", "CURL_CA_BUNDLE": "/b.pem"])
                == CertificateTrust(caFile: "/a.pem"))
        #expect(CertificateTrust.environment(["CURL_CA_BUNDLE": "/b.pem"]) == CertificateTrust(caFile: "/b.pem"))
        #expect(
            CertificateTrust.environment(["SSL_CERT_DIR": "/d:/e", "SSL_CERT_FILE": " "])
                == CertificateTrust(caDirectory: "/d:/e"))
    }

    // MARK: - HTTP versions

    @Test(arguments: [(SandboxTransport.https, "2"), (.httpsHTTP1, "1.1"), (.http, "1.1")])
    func everyCallUsesTheVersionTheServerOffers(transport: SandboxTransport, version: String) async throws {
        try await withSandbox(
            SandboxConfiguration(organizations: 1, usersPerOrganization: 1_200), transport: transport
        ) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let users = try await loadAll(client, orgId: sandbox.firstOrgId).flatMap(\.users)
            #expect(users.count == 1_200)
            let journal = await sandbox.journal()
            #expect(!journal.isEmpty)
            #expect(journal.allSatisfy { $0.httpVersion == version }, "\(journal.map(\.httpVersion))")
        }
    }

    @Test func aClientThatAsksForHTTP1GetsItFromAnHTTP2Server() async throws {
        try await withSandbox(Self.smallOrganization, transport: .https) { sandbox in
            var configuration = sandbox.clientConfiguration()
            configuration.preferHTTP2 = false
            _ = try await AtlasClient(configuration: configuration).listOrganizations()
            #expect(await sandbox.journal().map(\.httpVersion).allSatisfy { $0 == "1.1" })
        }
    }

    /// What a 10,000-user load costs on the wire with one transfer thread driving a multi handle: over
    /// HTTP/2 every concurrent page is a stream of one connection (one TLS handshake), over HTTP/1.1
    /// the pool opens a connection per concurrent page, up to its bound. The sandbox journal names
    /// the connection each request came over. The figures are printed for Benchmarks/RESULTS.md.
    @Test(arguments: [SandboxTransport.https, .httpsHTTP1])
    func aLargeLoadSharesConnections(transport: SandboxTransport) async throws {
        try await withSandbox(
            SandboxConfiguration(organizations: 1, usersPerOrganization: 10_000), transport: transport
        ) { sandbox in
            let configuration = sandbox.clientConfiguration()
            let client = try AtlasClient(configuration: configuration)
            let users = try await loadAll(client, orgId: sandbox.firstOrgId).flatMap(\.users)
            #expect(users.count == 10_000)
            let journal = await sandbox.apiRequests()
            let challenges = journal.filter { $0.status == 401 }.count
            let connections = Set(journal.map(\.connection))
            print(
                "load 10,000 users over \(transport.rawValue): \(journal.count) requests, "
                    + "\(connections.count) connections (client: \(client.connectionsOpened)), "
                    + "\(challenges) Digest challenges, \(client.transferThreads) transfer thread, "
                    + "\(client.peakConcurrentTransfers) transfers at once")
            #expect(journal.count - challenges == 20, "one request per page of 500")
            // One challenge per load; a server refusing reused nonces refuses each page's reuse once.
            #expect(challenges == (sandbox.singleUseNonces ? 20 : 1))
            #expect(!connections.contains(""), "the journal names every request's connection")
            #expect(client.transferThreads == 1)
            #expect(client.peakConcurrentTransfers >= 2, "pages after the first overlapped")
            if transport == .https {
                #expect(journal.allSatisfy { $0.httpVersion == "2" })
                #expect(connections.count == 1, "every concurrent page a stream of one HTTP/2 connection")
                #expect(client.connectionsOpened == 1)
            } else {
                #expect(journal.allSatisfy { $0.httpVersion == "1.1" })
                #expect(connections.count == client.connectionsOpened)
                #expect((2...AtlasClient.maximumHTTP1Connections).contains(connections.count), "\(connections)")
            }
        }
    }

    /// Writes after a load, eight at a time as the screen's apply sends them, stay on one HTTP/2
    /// connection at a time. The sandbox's HTTP/2 server (swift-nio-http2) ends a connection after 200
    /// stream errors and libcurl causes one per request, so 600 calls outlive the first connection; its
    /// replacement must be one connection, not one per transfer that was waiting (the screen's apply
    /// opened nine). In the journal, the connections then follow one another in blocks.
    /// OpenSSL frees its locks in an exit handler: a transfer thread still closing a TLS connection
    /// when the process exits crashes on them (seen once in about a hundred runs of `list`). So the
    /// program stops every transfer thread, and waits for it, before it exits
    /// (`AtlasClient.finishAllTransfers()`, which would stop the other tests' clients too).
    @Test func finishingTransfersWaitsUntilTheThreadHasLeftLibcurl() async throws {
        try await withSandbox(transport: .https) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            _ = try await client.organization(id: sandbox.firstOrgId)
            #expect(client.transferThreadRunning)
            client.finishTransfers()
            #expect(!client.transferThreadRunning, "the thread had closed its connection when the call returned")
            await #expect(throws: (any Error).self) { _ = try await client.organization(id: sandbox.firstOrgId) }
        }
    }

    @Test func writesAfterALoadUseOneConnectionAtATime() async throws {
        try await withSandbox(
            SandboxConfiguration(organizations: 1, usersPerOrganization: 1_000), transport: .https
        ) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let orgId = sandbox.firstOrgId
            let users = try await loadAll(client, orgId: orgId).flatMap(\.users)
            let targets = users.filter { $0.status == .active && !$0.orgRoles.contains(.owner) }.prefix(300)
            #expect(targets.count == 300)
            // The screen's conflict check reads before it writes; both go eight at a time.
            for reading in [true, false] {
                for batch in stride(from: 0, to: targets.count, by: 8) {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for user in targets.dropFirst(batch).prefix(8) {
                            group.addTask {
                                if reading {
                                    _ = try await client.orgUser(orgId: orgId, userId: user.id)
                                } else {
                                    _ = try await client.writeOrgRoles(
                                        orgId: orgId, userId: user.id, roles: user.orgRoles.union([.billingReadOnly]),
                                        method: .putRoles)
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
            }
            let journal = await sandbox.apiRequests()
            #expect(Set(journal.filter { $0.method == "PUT" && $0.status == 200 }.map(\.path)).count == 300)
            #expect(journal.allSatisfy { $0.httpVersion == "2" })
            var blocks: [String] = []
            for entry in journal where blocks.last != entry.connection { blocks.append(entry.connection) }
            #expect(blocks.count == Set(blocks).count, "connections used side by side: \(blocks)")
            // libcurl's own count, per transfer, misses a connection it opens to send a request again
            // after a GOAWAY; the journal is the authority, the client's count a lower bound of it.
            #expect((1...blocks.count).contains(client.connectionsOpened), "\(client.connectionsOpened) counted")
            if !sandbox.singleUseNonces {
                // The challenge, and at most the eight requests in flight on each connection that went,
                // which libcurl sends again with the count the server has already seen: a replay is
                // answered once, and does not make every later request fetch a challenge of its own.
                let refused = journal.filter { $0.status == 401 }.count
                #expect(refused <= 1 + 8 * (blocks.count - 1), "\(refused) refusals")
            }
            print(
                "300 reads and 300 writes after a load: \(journal.count) requests over \(blocks.count) connection(s), one at a time"
            )
        }
    }

    // MARK: - Proxies

    @Test(arguments: [SandboxTransport.https, .http])
    func aProxyCarriesEveryCall(transport: SandboxTransport) async throws {
        let proxy = try await TinyProxy()
        defer { proxy.stop() }
        try await withSandbox(Self.smallOrganization, transport: transport) { sandbox in
            var configuration = sandbox.clientConfiguration()
            configuration.proxy = ProxySettings(proxy: proxy.url)
            let client = try AtlasClient(configuration: configuration)
            let users = try await loadAll(client, orgId: sandbox.firstOrgId).flatMap(\.users)
            #expect(users.count == 30)
            let carried = proxy.requests()
            if transport == .https {
                // A tunnel: the proxy sees where to, never what.
                #expect(carried.contains("CONNECT 127.0.0.1:\(sandbox.port)"), "\(carried)")
                #expect(!carried.contains { $0.contains("/api/atlas/v2") })
            } else {
                let listCalls = carried.filter { $0.hasPrefix("GET \(sandbox.baseURL)/api/atlas/v2/orgs/") }
                #expect(listCalls.count == (await sandbox.journal()).count, "\(carried)")
            }
        }
    }

    @Test func noProxyGoesDirect() async throws {
        let proxy = try await TinyProxy()
        defer { proxy.stop() }
        try await withSandbox(Self.smallOrganization, transport: .https) { sandbox in
            var configuration = sandbox.clientConfiguration()
            configuration.proxy = .environment(
                ["HTTPS_PROXY": proxy.url, "NO_PROXY": "localhost,127.0.0.1"], baseURL: sandbox.baseURL)
            _ = try await AtlasClient(configuration: configuration).listOrganizations()
            #expect(!(await sandbox.journal()).isEmpty)
            #expect(proxy.requests().isEmpty)
        }
    }

    @Test(arguments: [SandboxTransport.https, .http])
    func aProxyThatWantsCredentialsNamesTheRemedyAndAcceptsThemFromTheURL(transport: SandboxTransport)
        async throws
    {
        let proxy = try await TinyProxy(credentials: ("alice", "pr0xy-pass"))
        defer { proxy.stop() }
        try await withSandbox(Self.smallOrganization, transport: transport) { sandbox in
            var configuration = sandbox.clientConfiguration()
            configuration.proxy = ProxySettings(proxy: proxy.url)
            let error = await #expect(throws: AtlasError.self) {
                try await AtlasClient(configuration: configuration).listOrganizations()
            }
            #expect(error?.remedy == .giveProxyCredentials, "\(String(describing: error))")
            #expect(await sandbox.journal().isEmpty)

            configuration.proxy = ProxySettings(proxy: proxy.url(user: "alice", password: "pr0xy-pass"))
            let organizations = try await AtlasClient(configuration: configuration).listOrganizations()
            #expect(organizations.map(\.id) == [sandbox.firstOrgId])
        }
    }

    @Test func proxyFromTheEnvironmentFollowsTheScheme() {
        let environment = [
            "HTTPS_PROXY": "http://secure:3128", "http_proxy": "http://plain:3128", "HTTP_PROXY": "http://cgi:3128",
            "NO_PROXY": "internal.example",
        ]
        #expect(
            ProxySettings.environment(environment, baseURL: "https://cloud.mongodb.com")
                == ProxySettings(proxy: "http://secure:3128", noProxy: "internal.example"))
        #expect(
            ProxySettings.environment(environment, baseURL: "http://127.0.0.1:8080").proxy == "http://plain:3128")
        #expect(
            ProxySettings.environment(["HTTP_PROXY": "http://cgi:3128"], baseURL: "http://127.0.0.1:8080") == .direct)
        #expect(
            ProxySettings.environment(["ALL_PROXY": "socks5://s:1080"], baseURL: "https://x").proxy == "socks5://s:1080"
        )
        #expect(
            ProxySettings.environment(
                ["https_proxy": "http://low:1", "HTTPS_PROXY": "http://up:1"], baseURL: "https://x"
            )
            .proxy == "http://low:1")
    }

    // MARK: - Strict Digest

    /// Against a server that refuses every reused nonce, a load and writes still succeed; every call
    /// costs one extra request (a challenge or the refused reuse), never more.
    @Test(arguments: [SandboxTransport.https, .http])
    func aServerWithSingleUseNoncesIsAnsweredOnce(transport: SandboxTransport) async throws {
        var configuration = SandboxConfiguration(organizations: 1, usersPerOrganization: 2_600)
        configuration.singleUseNonces = true
        try await withSandbox(configuration, transport: transport) { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let orgId = sandbox.firstOrgId
            let users = try await loadAll(client, orgId: orgId).flatMap(\.users)
            #expect(users.count == 2_600)
            let target = try #require(users.first { $0.status == .active && !$0.orgRoles.contains(.owner) })
            var roles = target.orgRoles
            roles.insert(.billingReadOnly)
            for _ in 0..<3 {
                _ = try await client.writeOrgRoles(orgId: orgId, userId: target.id, roles: roles, method: .putRoles)
            }
            #expect(
                Set(await sandbox.orgUserRoles(orgId: orgId, userId: target.id) ?? []) == Set(roles.map(\.rawValue)))
            let journal = await sandbox.apiRequests()
            let answered = journal.filter { $0.status != 401 }
            #expect(answered.allSatisfy { $0.status == 200 }, "\(journal.map(\.status))")
            // Each answered call meets one challenge, as with Atlas's own clients: the first page fetched
            // it, the pages after it reused its nonce and were refused once each (which taught the client
            // that the server is strict), the writes fetched one each.
            let challenges = journal.count - answered.count
            #expect(challenges == answered.count, "\(journal.map(\.status))")
            print("single-use nonces: \(answered.count) calls took \(journal.count) requests")
        }
    }

    private static func subjectHash(ofCertificateAt path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["x509", "-hash", "-noout", "-in", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
