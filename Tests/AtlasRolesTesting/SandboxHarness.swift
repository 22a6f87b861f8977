import AtlasAPI
import AtlasSandbox
import Foundation

/// Known credentials, so tests can look for them in every error text.
public let knownCredentials = SandboxCredentials(
    apiKey: .init(publicKey: "ownerkey", privateKey: "11111111-2222-3333-4444-555555555555"),
    memberOnlyApiKey: .init(publicKey: "memberky", privateKey: "66666666-7777-8888-9999-aaaaaaaaaaaa"),
    serviceAccount: .init(
        clientId: "mdb_sa_id_000000000000000000000001",
        clientSecret: "mdb_sa_sk_0123456789abcdef0123456789abcdef01234567"))

/// How the harness's sandbox speaks: Atlas is HTTPS with HTTP/2, so that is the default.
public enum SandboxTransport: String, CaseIterable, Sendable {
    /// Plain HTTP/1.1 on loopback.
    case http
    /// HTTPS offering HTTP/2 and HTTP/1.1 (ALPN), with a CA made at start-up.
    case https
    /// HTTPS offering HTTP/1.1 only.
    case httpsHTTP1 = "https-http1"

    /// `ATLAS_SANDBOX_TRANSPORT` (`http`, `https`, `https-http1`), else ``https``: one switch runs
    /// every suite that uses the harness over another transport.
    public static var standard: SandboxTransport {
        ProcessInfo.processInfo.environment["ATLAS_SANDBOX_TRANSPORT"].flatMap(SandboxTransport.init(rawValue:))
            ?? .https
    }

    /// `configuration` made to serve this transport, its CA written into `directory`.
    public func applied(to configuration: SandboxConfiguration, directory: URL) -> SandboxConfiguration {
        var configuration = configuration
        guard configuration.tlsDirectory == nil else { return configuration }
        switch self {
        case .http: break
        case .https:
            configuration.tlsDirectory = directory.path
            configuration.http2 = true
        case .httpsHTTP1:
            configuration.tlsDirectory = directory.path
            configuration.http2 = false
        }
        return configuration
    }
}

/// Runs `body` against a fresh sandbox on loopback and stops it afterwards, whatever happens.
public func withSandbox<Result>(
    _ configuration: SandboxConfiguration = SandboxConfiguration(organizations: 1, usersPerOrganization: 60),
    transport: SandboxTransport = .standard,
    _ body: (AtlasSandbox) async throws -> Result
) async throws -> Result {
    var configuration = configuration
    if configuration.fixedCredentials == nil { configuration.fixedCredentials = knownCredentials }
    // `ATLAS_SANDBOX_NONCES=single-use` runs every suite against a server that refuses reused nonces.
    if ProcessInfo.processInfo.environment["ATLAS_SANDBOX_NONCES"] == "single-use" {
        configuration.singleUseNonces = true
    }
    let directory = temporaryDirectory("atlas-roles-sandbox-ca")
    defer { try? FileManager.default.removeItem(at: directory) }
    let sandbox = try await AtlasSandbox.start(transport.applied(to: configuration, directory: directory))
    do {
        let result = try await body(sandbox)
        try await sandbox.stop()
        return result
    } catch {
        try? await sandbox.stop()
        throw error
    }
}

extension AtlasSandbox {
    /// The id of the first (largest) organization.
    public var firstOrgId: String { organizations[0].id }

    /// A client configuration for this sandbox: owner API key, fast retries, no disk cache.
    public func clientConfiguration(
        credentials: AtlasCredentials? = nil,
        retry: RetryPolicy = RetryPolicy(maxAttempts: 3, initialBackoff: 0.05, maximumBackoff: 0.2)
    ) -> AtlasClientConfiguration {
        var configuration = AtlasClientConfiguration(
            baseURL: baseURL,
            credentials: credentials
                ?? .apiKey(publicKey: self.credentials.apiKey.publicKey, privateKey: self.credentials.apiKey.privateKey)
        )
        configuration.retryPolicy = retry
        configuration.cacheDirectory = nil
        // Only this sandbox's CA, and never a proxy from the environment of whoever runs the tests.
        configuration.certificateTrust = CertificateTrust(caFile: caCertificatePath)
        configuration.proxy = .direct
        configuration.connectTimeout = Patience.scaled(5.0)
        configuration.requestTimeout = Patience.scaled(20.0)
        return configuration
    }

    public var serviceAccountCredentials: AtlasCredentials {
        .serviceAccount(
            clientId: credentials.serviceAccount.clientId, clientSecret: credentials.serviceAccount.clientSecret)
    }

    /// Journal entries under `/api/atlas/v2` whose path ends with `suffix`.
    public func apiRequests(pathSuffix suffix: String = "", method: String? = nil) async -> [SandboxJournalEntry] {
        await journal().filter {
            $0.path.hasPrefix("/api/atlas/v2") && $0.path.hasSuffix(suffix) && (method == nil || $0.method == method)
        }
    }

    public func tokenRequests() async -> [SandboxJournalEntry] {
        await journal().filter { $0.path == "/api/oauth/token" }
    }
}

/// Collects a client's events in the background, for assertions after the fact.
public final class EventRecorder: Sendable {
    private let events = LockedBox<[ServiceEvent]>([])
    private let task: Task<Void, Never>

    public init(_ client: AtlasClient) {
        let stream = client.events()
        let events = self.events
        task = Task {
            for await event in stream { events.mutate { $0.append(event) } }
        }
    }

    public var recorded: [ServiceEvent] { events.value }

    /// Waits until an event matching `predicate` was recorded, or `timeout` seconds (stretched as every
    /// `eventually` deadline is) passed.
    public func waitFor(timeout: Double = 5, _ predicate: (ServiceEvent) -> Bool) async -> Bool {
        await eventually(deadline: .seconds(timeout)) { self.recorded.contains(where: predicate) }
    }

    deinit { task.cancel() }
}

/// A lock-protected box for test bookkeeping shared with background tasks.
public final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    public init(_ value: Value) { stored = value }
    public var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    public func mutate(_ body: (inout Value) -> Void) {
        lock.lock()
        body(&stored)
        lock.unlock()
    }
}

/// Every user of an organization, with the pages as they came.
public func loadAll(_ client: AtlasClient, orgId: String) async throws -> [UserPage] {
    var pages: [UserPage] = []
    for try await page in client.orgUsers(orgId: orgId) { pages.append(page) }
    return pages
}

/// The error `body` throws, as an ``AtlasError``; nil when it succeeded or threw something else.
public func atlasError(_ body: () async throws -> Void) async -> AtlasError? {
    do {
        try await body()
        return nil
    } catch let error as AtlasError {
        return error
    } catch {
        return nil
    }
}
