#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The live Atlas Administration API client, over libcurl: the production ``AtlasService``.
///
/// Requests run on one transfer thread over shared connections (HTTP/2 multiplexed where served);
/// API keys authenticate with HTTP Digest, service accounts with cached OAuth tokens. Users are listed with 2025-02-19 (falling
/// back to 2023-01-01 when the server refuses it), pages after the first are fetched concurrently,
/// transient failures are retried with backoff, and a PUT answered 410 `VERSION_GONE` switches the
/// session to the PATCH. Everything thrown is an ``AtlasError`` whose text never holds a secret.
///
/// ```swift
/// let client = try AtlasClient(configuration: .init(
///     baseURL: "https://cloud.mongodb.com", credentials: .apiKey(publicKey: pub, privateKey: priv)))
/// for try await page in client.orgUsers(orgId: orgId) { print(page.loadedCount, page.totalCount ?? 0) }
/// ```
public final class AtlasClient: AtlasService, Sendable {
    /// This program's version, sent in the `User-Agent`.
    public static let version = "0.1.0"

    public let configuration: AtlasClientConfiguration
    let executor: RequestExecutor
    let authorizer: any RequestAuthorizer
    private let tokens: ServiceAccountTokens?
    private let pool: TransferPool
    private let eventHub = ServiceEventHub()
    private let session = LockedValue(SessionState())
    /// Each organization's size at its last listing, when the client has a cache directory.
    let orgSizes: OrgSizeMemory?

    /// What the client has learned about the server during this session.
    private struct SessionState {
        /// Set once the PUT answered 410 `VERSION_GONE`.
        var writesUsePatch = false
        /// Set once the users list refused 2025-02-19 with a 406.
        var usersListVersion: APIVersion = .v20250219
    }

    /// Throws ``AtlasError`` with kind `.configuration` for a base URL that is not http(s).
    public init(configuration: AtlasClientConfiguration) throws {
        self.configuration = configuration
        let baseURL = try configuration.normalizedBaseURL()
        guard CurlGlobal.ensureInitialised() else {
            throw AtlasError(.configuration("libcurl could not be initialised"))
        }
        orgSizes = configuration.cacheDirectory.map { OrgSizeMemory(directory: $0, baseURL: baseURL) }
        var digestMemory: DigestNonceMemory?
        if case .apiKey(let publicKey, _) = configuration.credentials, let directory = configuration.cacheDirectory {
            digestMemory = DigestNonceMemory(directory: directory, baseURL: baseURL, username: publicKey)
        }
        // Enough transfers for the page fetches plus a write or a token request alongside them.
        pool = TransferPool(
            maxConcurrentTransfers: max(1, configuration.pageConcurrency) + 2,
            maxHostConnections: Self.maximumHTTP1Connections,
            settings: TransportSettings(
                userAgent: configuration.userAgent, trust: configuration.certificateTrust,
                proxy: configuration.proxy ?? .environment(baseURL: baseURL),
                preferHTTP2: configuration.preferHTTP2, digestMemory: digestMemory))
        let redactor = SecretRedactor()
        redactor.register(configuration.credentials.secret)
        executor = RequestExecutor(
            baseURL: baseURL, pool: pool, policy: configuration.retryPolicy,
            connectTimeout: configuration.connectTimeout, requestTimeout: configuration.requestTimeout,
            events: eventHub, redactor: redactor)
        switch configuration.credentials {
        case .apiKey(let publicKey, let privateKey):
            tokens = nil
            authorizer = StaticAuthorizer(value: .digest(username: publicKey, password: privateKey))
        case .serviceAccount(let clientId, let clientSecret):
            let tokens = ServiceAccountTokens(
                clientId: clientId, clientSecret: clientSecret, executor: executor,
                diskCache: configuration.cacheDirectory.map {
                    TokenDiskCache(directory: $0, baseURL: baseURL, clientId: clientId)
                },
                renewalMargin: configuration.tokenRenewalMargin)
            self.tokens = tokens
            authorizer = tokens
        }
    }

    deinit {
        pool.shutdown()
        eventHub.finish()
    }

    /// Stops the transfer threads of every client still alive and waits until each has left libcurl.
    /// Call it before the process exits: OpenSSL frees its locks in an exit handler, and a thread
    /// still closing a TLS connection then crashes on them.
    public static func finishAllTransfers() { TransferPool.finishAll() }

    /// Stops this client's transfer thread and waits until it has left libcurl; later calls fail as
    /// cancelled. Deinit does the same.
    public func finishTransfers() { pool.shutdown() }

    // MARK: - AtlasService

    public func events() -> AsyncStream<ServiceEvent> { eventHub.stream() }

    public func listOrganizations() async throws -> [Organization] {
        try await allPages(path: "/orgs", version: .v20230101, as: WireOrganization.self).map(\.organization)
    }

    public func organization(id: String) async throws -> Organization {
        try await get("/orgs/\(id)", version: .v20230101, as: WireOrganization.self).organization
    }

    public func orgUsers(orgId: String) -> AsyncThrowingStream<UserPage, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: UserPage.self)
        let loader = OrgUserLoader(client: self, orgId: orgId)
        let task = Task {
            do {
                try await loader.load { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    public func orgUser(orgId: String, userId: String) async throws -> OrgUser {
        if session.current.usersListVersion == .v20230101 {
            return try await legacyUser(orgId: orgId, userId: userId)
        }
        do {
            return try await get(
                "/orgs/\(orgId)/users/\(userId)", version: .v20250219, query: Self.shownStatuses, as: WireOrgUser.self
            ).user
        } catch let error as AtlasError where error.status == 406 {
            return try await legacyUser(orgId: orgId, userId: userId)
        }
    }

    public func writeOrgRoles(orgId: String, userId: String, roles: Set<OrgRole>, method: RoleWriteMethod)
        async throws -> RoleWriteResult
    {
        if method == .putRoles && !session.current.writesUsePatch {
            do {
                return try await putRoles(orgId: orgId, userId: userId, roles: roles)
            } catch let error as AtlasError where error.isVersionGone {
                switchToPatch()
            }
        }
        return try await patchRoles(orgId: orgId, userId: userId, roles: roles)
    }

    /// Reads the write bucket (`GET /rateLimits` for this organization and the write endpoints) once
    /// per client, so that the pacer knows its capacity and refill rate before the first write. A key
    /// that may not read it (401 `USER_UNAUTHORIZED` without Organization Read Only, 403, or 404/406 from
    /// a server without the endpoint), or any other failure, leaves pacing to the `RateLimit-*` headers,
    /// silently: the writes do not need it.
    public func prepareForWrites(orgId: String) {
        guard AtlasID.isValid(orgId) else { return }
        let method = preferredWriteMethod
        executor.lookUpWriteBudgetOnce { [weak self] in
            await self?.learnWriteBudget(orgId: orgId, method: method)
        }
    }

    // MARK: - Beyond the service interface

    /// The write to use for ACTIVE users now: the configured one until the PUT answered 410.
    public var preferredWriteMethod: RoleWriteMethod {
        session.current.writesUsePatch ? .patchUser : configuration.preferredWriteMethod
    }

    /// The version the users list is read with (2023-01-01 after the server refused 2025-02-19).
    public var usersListVersion: APIVersion { session.current.usersListVersion }

    /// `GET /orgs/{orgId}/teams`, every page.
    public func listTeams(orgId: String) async throws -> [Team] {
        try await allPages(path: "/orgs/\(orgId)/teams", version: .v20230101, as: WireTeam.self).map(\.team)
    }

    /// `GET /orgs/{orgId}/invites` (a plain array, not paged).
    public func listInvitations(orgId: String) async throws -> [OrgInvitation] {
        try await get("/orgs/\(orgId)/invites", version: .v20230101, as: [WireInvitation].self).map(\.invitation)
    }

    /// `POST /orgs/{orgId}/users/{userId}:addRole`: adds one role atomically; answers the user as now.
    public func addOrgRole(orgId: String, userId: String, role: OrgRole) async throws -> OrgUser {
        try await changeOneRole(orgId: orgId, userId: userId, role: role, action: "addRole")
    }

    /// `POST /orgs/{orgId}/users/{userId}:removeRole`: removes one role atomically.
    public func removeOrgRole(orgId: String, userId: String, role: OrgRole) async throws -> OrgUser {
        try await changeOneRole(orgId: orgId, userId: userId, role: role, action: "removeRole")
    }

    /// Revokes the service account's token and deletes its cached copy; nothing to do for API keys.
    public func revokeToken() async throws {
        try await tokens?.revoke()
    }

    /// The most transfers this client ever had running at once (bounded by the pool's limit).
    public var peakConcurrentTransfers: Int { pool.peakConcurrentTransfers }

    /// Whether this client's transfer thread is still alive (until ``finishTransfers()`` or deinit).
    public var transferThreadRunning: Bool { pool.transferThreadRunning }

    /// TCP connections opened so far (over https each one a TLS handshake; later ones resume the
    /// TLS session kept in the shared cache).
    public var connectionsOpened: Int { pool.connectionsOpened }

    /// Connections to the server at most when it does not multiplex (HTTP/1.1): more concurrent
    /// transfers wait for one of them, as a browser's six do; over HTTP/2 one connection carries all.
    public static let maximumHTTP1Connections = 10

    /// Threads that perform this client's transfers: one, driving libcurl's multi interface.
    public var transferThreads: Int { pool.transferThreads }

    /// Transfers running at this moment (0 once every call has returned or been cancelled).
    public var runningTransfers: Int { pool.runningTransfers }

    /// Service-account tokens this client obtained from the token endpoint (0 for API keys).
    public func tokensIssued() async -> Int { await tokens?.tokensIssued ?? 0 }

    // MARK: - Calls

    private func putRoles(orgId: String, userId: String, roles: Set<OrgRole>) async throws -> RoleWriteResult {
        let call = RoleWriteMethod.putRoles.call(orgId: orgId, userId: userId)
        let body = try Self.encode(["orgRoles": roles.sorted().map(\.rawValue)])
        let answer = try await send(call, body: body, idempotent: true, as: WireOrgRoles.self)
        return RoleWriteResult(orgRoles: answer.orgRoles.map(Set.init) ?? roles, call: call, method: .putRoles)
    }

    private func patchRoles(orgId: String, userId: String, roles: Set<OrgRole>) async throws -> RoleWriteResult {
        let call = RoleWriteMethod.patchUser.call(orgId: orgId, userId: userId)
        // Only roles.orgRoles: a field sent empty would be reset (teams, project roles).
        let body = try Self.encode(["roles": ["orgRoles": roles.sorted().map(\.rawValue)]])
        let answer = try await send(call, body: body, idempotent: true, as: WireOrgUser.self)
        return RoleWriteResult(orgRoles: answer.user.orgRoles, call: call, method: .patchUser)
    }

    private func changeOneRole(orgId: String, userId: String, role: OrgRole, action: String) async throws -> OrgUser {
        let call = APICall(method: "POST", path: "/orgs/\(orgId)/users/\(userId):\(action)", version: .v20250219)
        let body = try Self.encode(["orgRole": role.rawValue])
        // Not idempotent: a retried addRole after a timeout could act twice, so only 429s are retried.
        return try await send(call, body: body, idempotent: false, as: WireOrgUser.self).user
    }

    private func learnWriteBudget(orgId: String, method: RoleWriteMethod) async {
        let written = method.endpointTemplate
        let query =
            [URLQueryItem(name: "orgId", value: orgId)]
            + [RoleWriteMethod.putRoles, .patchUser].map {
                URLQueryItem(name: "endpointPath", value: $0.endpointTemplate.path)
            }
        let request = APIRequest(
            call: APICall(method: "GET", path: "/rateLimits", version: .v20250312),
            path: "/api/atlas/v2/rateLimits", query: query, accept: APIVersion.v20250312.mediaType,
            isIdempotent: true, maxAttempts: 1)
        guard
            let page = try? await executor.send(
                request, authorizer: authorizer,
                decode: { response in
                    try JSONDecoder().decode(WireRateLimitPage.self, from: response.body)
                }),
            let set = page.results.first(where: { $0.limits(method: written.method, path: written.path) }),
            let bucket = set.bucket
        else { return }
        executor.writePacer.learn(
            capacity: bucket.capacity, refillPerSecond: bucket.refillPerSecond, startsFull: !set.limitsReads)
    }

    /// 2023-01-01 has no per-org user read: `GET /users/{userId}` and this org's entries of `roles[]`.
    private func legacyUser(orgId: String, userId: String) async throws -> OrgUser {
        try await get("/users/\(userId)", version: .v20230101, as: WireCloudAppUser.self).user(inOrganization: orgId)
    }

    private func switchToPatch() {
        let first = session.withLock { state in
            defer { state.writesUsePatch = true }
            return !state.writesUsePatch
        }
        if first { eventHub.emit(.switchedToPatch) }
    }

    func noteUsersListFallback() {
        session.withLock { $0.usersListVersion = .v20230101 }
    }

    // MARK: - Plumbing

    func get<Value: Decodable & Sendable>(
        _ path: String, version: APIVersion, query: [URLQueryItem] = [], as type: Value.Type
    ) async throws -> Value {
        try await send(APICall(method: "GET", path: path, version: version), query: query, idempotent: true, as: type)
    }

    func send<Value: Decodable & Sendable>(
        _ call: APICall, query: [URLQueryItem] = [], body: Data? = nil, idempotent: Bool, as type: Value.Type
    ) async throws -> Value {
        try await send(call, query: query, body: body, idempotent: idempotent) { responseBody in
            try JSONDecoder().decode(Value.self, from: responseBody)
        }
    }

    /// Sends `call` and reads the answer's body with `decode`.
    func send<Value: Sendable>(
        _ call: APICall, query: [URLQueryItem] = [], body: Data? = nil, idempotent: Bool,
        decode: @Sendable (Data) throws -> Value
    ) async throws -> Value {
        let request = APIRequest(
            call: call, path: "/api/atlas/v2" + call.path, query: query, accept: call.version.mediaType,
            contentType: body == nil ? nil : call.version.mediaType, body: body, isIdempotent: idempotent)
        return try await executor.send(request, authorizer: authorizer) { response in try decode(response.body) }
    }

    /// Every page of a list, one after another (organizations and teams are short lists).
    func allPages<Item: Decodable & Sendable>(path: String, version: APIVersion, as type: Item.Type)
        async throws -> [Item]
    {
        var items: [Item] = []
        var pageNumber = 1
        while true {
            let page = try await get(
                path, version: version, query: Self.pageQuery(pageNumber, size: configuration.pageSize),
                as: WirePage<Item>.self)
            items += page.results
            let more = page.totalCount.map { items.count < $0 } ?? (page.nextLink != nil)
            guard more, !page.results.isEmpty else { return items }
            pageNumber += 1
        }
    }

    /// Every membership status the program shows, asked for by name: without the filter Atlas lists
    /// ACTIVE and PENDING users only, and answers 404 for an expired or rejected invitation.
    static let shownStatuses: [URLQueryItem] = ["ACTIVE", "PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED"].map {
        URLQueryItem(name: statusFilterName, value: $0)
    }
    static let statusFilterName = "orgMembershipStatuses"

    static func pageQuery(_ pageNumber: Int, size: Int, includeCount: Bool = true) -> [URLQueryItem] {
        [
            URLQueryItem(name: "itemsPerPage", value: String(size)),
            URLQueryItem(name: "pageNum", value: String(pageNumber)),
            URLQueryItem(name: "includeCount", value: includeCount ? "true" : "false"),
        ]
    }

    private static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(value)
    }
}

extension AtlasError {
    /// The PUT's retirement: 410 `VERSION_GONE`.
    var isVersionGone: Bool { status == 410 && (envelope?.errorCode ?? "VERSION_GONE") == "VERSION_GONE" }
}
