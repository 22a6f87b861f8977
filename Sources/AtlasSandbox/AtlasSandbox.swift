import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A local Atlas Administration API (v2) server for tests, the demo and benchmarks.
///
/// It listens on loopback with a free port, serves generated organizations with Digest and OAuth
/// authentication, exact versioning and error envelopes, and misbehaves on request (see
/// ``SandboxFaults``). See `docs/sandbox.md` for the full contract.
/// ```swift
/// let sandbox = try await AtlasSandbox.start(SandboxConfiguration(seed: 7))
/// defer { Task { try await sandbox.stop() } }
/// print(sandbox.baseURL, sandbox.credentials.apiKey.publicKey)
/// ```
public final class AtlasSandbox: Sendable {
    /// `http://127.0.0.1:<port>` (`https://` with ``SandboxConfiguration/tlsDirectory``); the API is
    /// under `/api/atlas/v2`.
    public let baseURL: String
    /// The PEM file of the CA that signed the server's certificate, when serving HTTPS.
    public let caCertificatePath: String?
    /// The port actually bound.
    public let port: Int
    /// Whether every Digest nonce is good for one request only (``SandboxConfiguration/singleUseNonces``).
    public let singleUseNonces: Bool
    /// The secrets this sandbox accepts.
    public let credentials: SandboxCredentials
    /// The generated organizations; the first is the big one.
    public let organizations: [SandboxOrganizationSummary]

    let state: SandboxState
    private let serverTask: Task<Void, any Error>
    private let services: ServiceGroup

    private init(
        baseURL: String, caCertificatePath: String?, port: Int, singleUseNonces: Bool, credentials: SandboxCredentials,
        organizations: [SandboxOrganizationSummary],
        state: SandboxState, serverTask: Task<Void, any Error>, services: ServiceGroup
    ) {
        self.baseURL = baseURL
        self.caCertificatePath = caCertificatePath
        self.port = port
        self.singleUseNonces = singleUseNonces
        self.credentials = credentials
        self.organizations = organizations
        self.state = state
        self.serverTask = serverTask
        self.services = services
    }

    /// Generates the organizations, binds, and returns once the server is listening.
    public static func start(_ configuration: SandboxConfiguration = SandboxConfiguration()) async throws
        -> AtlasSandbox
    {
        let credentials = configuration.fixedCredentials ?? SandboxCredentials.random()
        let state = try SandboxState(configuration: configuration, credentials: credentials)
        var logger = Logger(label: "atlas-sandbox")
        logger.logLevel = .critical
        let signal = StartSignal()
        var server: HTTPServerBuilder = .http1()
        var caCertificatePath: String?
        if let tlsDirectory = configuration.tlsDirectory {
            let authority = try SandboxCertificateAuthority()
            caCertificatePath = try authority.writeCertificate(into: tlsDirectory)
            let tlsConfiguration = try authority.serverConfiguration()
            server =
                configuration.http2
                ? try .http2Upgrade(tlsConfiguration: tlsConfiguration)
                : try .tls(.http1(), tlsConfiguration: tlsConfiguration)
        }
        var responder = SandboxResponder(state: state)
        responder.scheme = configuration.tlsDirectory == nil ? "http" : "https"
        let application = Application(
            responder: responder,
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in signal.succeed(port: channel.localAddress?.port ?? 0) },
            logger: logger
        )
        // Run in a service group so that `stop()` can shut the server down gracefully: cancelling its
        // task while a connection or HTTP/2 stream is being set up trips an assertion in NIO
        // ("Deinited NIOAsyncWriter without calling finish()"), which multiplexed clients make likely.
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        let serverTask = Task {
            do {
                try await services.run()
                signal.fail(SandboxStartError(description: "the server stopped before it was listening"))
            } catch {
                signal.fail(error)
                throw error
            }
        }
        let port: Int
        do {
            port = try await signal.wait()
        } catch {
            serverTask.cancel()
            throw error
        }
        let host = configuration.host == "0.0.0.0" ? "127.0.0.1" : configuration.host
        let urlHost = host.contains(":") ? "[\(host)]" : host
        let scheme = configuration.tlsDirectory == nil ? "http" : "https"
        return AtlasSandbox(
            baseURL: "\(scheme)://\(urlHost):\(port)", caCertificatePath: caCertificatePath, port: port,
            singleUseNonces: configuration.singleUseNonces,
            credentials: credentials,
            organizations: await state.summaries(), state: state, serverTask: serverTask, services: services)
    }

    /// Stops listening, closes connections and the journal file.
    public func stop() async throws {
        await services.triggerGracefulShutdown()
        // A request the sandbox holds on purpose (a latency or hang fault) would hold a graceful
        // shutdown too: past a grace period, the server is cancelled as before.
        let serverTask = self.serverTask
        let deadline = Task {
            try await Task.sleep(for: .seconds(5))
            serverTask.cancel()
        }
        _ = await serverTask.result
        deadline.cancel()
        await state.closeJournal()
    }

    /// Returns when the server has stopped (by ``stop()`` or an error).
    public func waitUntilStopped() async {
        _ = await serverTask.result
    }

    /// Switches faults at run time.
    public func setFaults(_ faults: SandboxFaults) async {
        await state.setFaults(faults)
    }

    /// The faults in force.
    public func faults() async -> SandboxFaults {
        await state.faults()
    }

    /// Every request received (credentials removed), oldest first.
    public func journal() async -> [SandboxJournalEntry] {
        await state.journal()
    }

    /// Forgets the journal (the journal file is kept).
    public func clearJournal() async {
        await state.clearJournal()
    }

    /// The organization roles the server holds now; nil for an unknown user.
    public func orgUserRoles(orgId: String, userId: String) async -> [String]? {
        await state.orgUserRoles(orgId: orgId, userId: userId)
    }

    /// Changes a user's roles behind every client's back (for conflict tests); false when refused.
    @discardableResult
    public func setOrgUserRoles(orgId: String, userId: String, roles: [String]) async -> Bool {
        await state.setOrgUserRoles(orgId: orgId, userId: userId, roles: roles)
    }

    /// Every user id of an organization, in listing order.
    public func userIds(orgId: String) async -> [String] {
        await state.userIds(orgId: orgId)
    }

    /// A user looked up by email address (case-insensitive).
    public func user(orgId: String, username: String) async -> SandboxUserSummary? {
        await state.user(orgId: orgId, username: username)
    }

    /// A user looked up by id.
    public func user(orgId: String, userId: String) async -> SandboxUserSummary? {
        await state.user(orgId: orgId, userId: userId)
    }
}

/// Hands the bound port from Hummingbird's `onServerRunning` to `start`, exactly once.
private final class StartSignal: Sendable {
    private enum Phase {
        case waiting(CheckedContinuation<Int, any Error>?)
        case done(Result<Int, any Error>)
    }

    private let phase = Mutex<Phase>(.waiting(nil))

    func succeed(port: Int) { finish(.success(port)) }

    func fail(_ error: any Error) { finish(.failure(error)) }

    private func finish(_ result: Result<Int, any Error>) {
        let continuation = phase.withLock { phase -> CheckedContinuation<Int, any Error>? in
            guard case .waiting(let continuation) = phase else { return nil }
            phase = .done(result)
            return continuation
        }
        continuation?.resume(with: result)
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready = phase.withLock { phase -> Result<Int, any Error>? in
                switch phase {
                case .waiting:
                    phase = .waiting(continuation)
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
