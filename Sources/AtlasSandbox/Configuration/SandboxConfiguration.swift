/// Everything that shapes a sandbox run: where it listens, what it generates, how it misbehaves.
///
/// ```swift
/// let sandbox = try await AtlasSandbox.start(SandboxConfiguration(seed: 7, usersPerOrganization: 60))
/// ```
public struct SandboxConfiguration: Sendable {
    /// Address to bind; loopback by default.
    public var host: String
    /// Port to bind; 0 picks a free one (read it back from ``AtlasSandbox/baseURL``).
    public var port: Int
    /// Seed of the generated organizations, users, teams and invites.
    public var seed: UInt64
    /// How many organizations to generate (at least 1).
    public var organizations: Int
    /// Users in the first organization; the others are smaller.
    public var usersPerOrganization: Int
    /// Adds terminal escapes, control characters and bidi overrides to some names and error details.
    public var hostileText: Bool
    /// Faults in force at start.
    public var faults: SandboxFaults
    /// Lifetime of service-account access tokens.
    public var tokenLifetimeSeconds: Int
    /// How long a Digest nonce is accepted before the answer is 401 with `stale=true`.
    public var nonceLifetimeSeconds: Int
    /// Makes `PUT .../roles` answer 410 `VERSION_GONE` from the start (same as the fault).
    public var putVersionGone: Bool
    /// A JSON file holding the role state across restarts; nil keeps state in memory only.
    public var statePath: String?
    /// A file the journal is appended to as JSON lines; nil keeps it in memory only.
    public var journalPath: String?
    /// Credentials to use instead of random ones.
    public var fixedCredentials: SandboxCredentials?
    /// Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN, as Atlas does) with a certificate signed by a CA
    /// made at start-up, whose PEM file is written into this directory
    /// (``AtlasSandbox/caCertificatePath``); nil serves plain HTTP.
    public var tlsDirectory: String?
    /// Offer HTTP/2 by ALPN when serving HTTPS; false serves HTTP/1.1 only, as an older proxy would.
    public var http2: Bool = true
    /// A Digest nonce is good for one request only: a reused one is answered with a fresh challenge
    /// and `stale=false`, which Atlas may do (undocumented; its own clients never reuse a nonce).
    public var singleUseNonces: Bool = false

    /// Creates a configuration; every field has a default.
    public init(
        host: String = "127.0.0.1", port: Int = 0, seed: UInt64 = 7, organizations: Int = 3,
        usersPerOrganization: Int = 60, hostileText: Bool = false, faults: SandboxFaults = SandboxFaults(),
        tokenLifetimeSeconds: Int = 3600, nonceLifetimeSeconds: Int = 300, putVersionGone: Bool = false,
        statePath: String? = nil, journalPath: String? = nil, fixedCredentials: SandboxCredentials? = nil
    ) {
        self.host = host
        self.port = port
        self.seed = seed
        self.organizations = organizations
        self.usersPerOrganization = usersPerOrganization
        self.hostileText = hostileText
        self.faults = faults
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.nonceLifetimeSeconds = nonceLifetimeSeconds
        self.putVersionGone = putVersionGone
        self.statePath = statePath
        self.journalPath = journalPath
        self.fixedCredentials = fixedCredentials
    }
}
