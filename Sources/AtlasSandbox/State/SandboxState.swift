#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The one owner of everything mutable in a sandbox: organizations and roles, nonces and tokens,
/// faults and their generator, the rate-limit bucket and the journal.
actor SandboxState {
    let hostileText: Bool
    var organizations: [SandboxOrganization]
    let organizationIndexById: [String: Int]
    var authenticator: Authenticator
    private(set) var currentFaults: SandboxFaults
    private var faultRandom: SplitMix64
    private var bucket: TokenBucket?
    /// The token endpoint's own limit, one bucket per client id.
    private var tokenBuckets: [String: TokenBucket] = [:]
    private var journalEntries: [SandboxJournalEntry] = []
    private let journalFile: OutputFile?
    let stateFile: StateFile?

    /// The journal keeps the most recent entries only, so a long benchmark cannot grow it without bound.
    static let journalLimit = 50_000

    init(configuration: SandboxConfiguration, credentials: SandboxCredentials) throws {
        hostileText = configuration.hostileText
        var generator = OrganizationGenerator(seed: configuration.seed, hostileText: configuration.hostileText)
        var organizations = generator.organizations(
            count: configuration.organizations, usersPerOrganization: configuration.usersPerOrganization)
        organizationIndexById = Dictionary(uniqueKeysWithValues: organizations.enumerated().map { ($1.id, $0) })
        stateFile = configuration.statePath.map(StateFile.init(path:))
        if let stateFile {
            try stateFile.load(into: &organizations)
        }
        self.organizations = organizations
        authenticator = Authenticator(
            credentials: credentials, nonceLifetimeSeconds: configuration.nonceLifetimeSeconds,
            tokenLifetimeSeconds: configuration.tokenLifetimeSeconds, singleUseNonces: configuration.singleUseNonces)
        var faults = configuration.faults
        faults.putVersionGone = faults.putVersionGone || configuration.putVersionGone
        currentFaults = faults
        faultRandom = SplitMix64(seed: faults.faultSeed)
        bucket = faults.rateLimit.map { TokenBucket(limit: $0, now: Date()) }
        if let path = configuration.journalPath {
            guard let file = OutputFile.appending(to: path) else {
                throw SandboxStartError(description: "cannot open the journal file \(path)")
            }
            journalFile = file
        } else {
            journalFile = nil
        }
    }

    // MARK: Faults

    func faults() -> SandboxFaults { currentFaults }

    /// Replaces the faults; the generator restarts from the new seed and the bucket refills.
    func setFaults(_ faults: SandboxFaults) {
        currentFaults = faults
        faultRandom = SplitMix64(seed: faults.faultSeed)
        bucket = faults.rateLimit.map { TokenBucket(limit: $0, now: Date()) }
        tokenBuckets = [:]
    }

    /// Takes one token request of `clientId` from its bucket (Atlas: 50 a minute per client).
    func takeTokenRequest(clientId: String, now: Date) -> Bool {
        let perMinute = currentFaults.tokenRequestsPerMinute
        guard perMinute > 0 else { return true }
        var limiter =
            tokenBuckets[clientId]
            ?? TokenBucket(
                limit: SandboxRateLimit(capacity: perMinute, refillPerSecond: Double(perMinute) / 60), now: now)
        let (allowed, _) = limiter.take(now: now)
        tokenBuckets[clientId] = limiter
        return allowed
    }

    func drawFaults() -> FaultDraw {
        currentFaults.draw(using: &faultRandom)
    }

    // MARK: Journal

    func record(_ entry: SandboxJournalEntry) {
        journalEntries.append(entry)
        if journalEntries.count > Self.journalLimit {
            journalEntries.removeFirst(journalEntries.count - Self.journalLimit)
        }
        if let journalFile {
            journalFile.write(entry.json.serialized() + "\n")
        }
    }

    func journal() -> [SandboxJournalEntry] { journalEntries }

    func clearJournal() { journalEntries.removeAll() }

    func closeJournal() {
        journalFile?.close()
    }

    // MARK: Look-ups for tests and the admin endpoint

    func summaries() -> [SandboxOrganizationSummary] {
        organizations.map { SandboxOrganizationSummary(id: $0.id, name: $0.name, userCount: $0.users.count) }
    }

    func orgUserRoles(orgId: String, userId: String) -> [String]? {
        guard let location = locate(orgId: orgId, userId: userId) else { return nil }
        return organizations[location.org].users[location.index].orgRoles
    }

    /// Changes roles behind every client's back; false when the user or a role is unknown, or the set empty.
    func setOrgUserRoles(orgId: String, userId: String, roles: [String]) -> Bool {
        guard let location = locate(orgId: orgId, userId: userId), !roles.isEmpty,
            roles.allSatisfy(OrgRoleName.isKnown)
        else { return false }
        organizations[location.org].setOrgRoles(OrgRoleName.canonical(roles), at: location.index)
        persist()
        return true
    }

    func userIds(orgId: String) -> [String] {
        guard let org = organizationIndexById[orgId] else { return [] }
        return organizations[org].users.map(\.id)
    }

    func user(orgId: String, username: String) -> SandboxUserSummary? {
        guard let org = organizationIndexById[orgId],
            let index = organizations[org].indexByUsername[username.lowercased()]
        else { return nil }
        return SandboxUserSummary(organizations[org].users[index])
    }

    func user(orgId: String, userId: String) -> SandboxUserSummary? {
        guard let location = locate(orgId: orgId, userId: userId) else { return nil }
        return SandboxUserSummary(organizations[location.org].users[location.index])
    }

    func locate(orgId: String, userId: String) -> (org: Int, index: Int)? {
        guard let org = organizationIndexById[orgId], let index = organizations[org].indexById[userId] else {
            return nil
        }
        return (org, index)
    }

    /// Writes the role state when a state file is configured; a failed write is reported, not fatal.
    func persist() {
        guard let stateFile else { return }
        do {
            try stateFile.save(organizations)
        } catch {
            OutputFile.standardError.write("atlas-sandbox: cannot write state: \(error)\n")
        }
    }

    // MARK: Requests

    /// Answers one `/api/atlas/v2` request: authentication, routing, versioning, rate limit, operation.
    func handleAPI(_ request: APIRequest) -> APIResponse {
        let now = Date()
        switch authenticator.authenticate(request, now: now) {
        case .success(let principal):
            var response = handleAuthenticated(request, principal: principal, now: now)
            response.authenticated = true
            return response
        case .failure(let error):
            return error.response(pretty: request.query["pretty"] == "true")
        }
    }

    /// The rest of ``handleAPI(_:)`` once the caller is known: access list, routing, versioning, rate
    /// limit, operation.
    private func handleAuthenticated(_ request: APIRequest, principal: Principal, now: Date) -> APIResponse {
        let pretty = request.query["pretty"] == "true"
        if currentFaults.notOnAccessList {
            // Atlas checks the access list once it knows which key or token is calling.
            let address = "127.0.0.1"
            return APIError(
                status: 403, errorCode: "IP_ADDRESS_NOT_ON_ACCESS_LIST",
                detail: "IP address \(address) is not allowed to access this resource.",
                parameters: [.string(address)]
            ).response(pretty: pretty)
        }
        let relativePath = String(request.path.dropFirst(Route.apiPrefix.count))
        let route: Route
        switch Route.match(method: request.method, path: relativePath) {
        case .success(let value): route = value
        case .failure(let error): return decorate(error).response(pretty: pretty)
        }
        let negotiated = APIVersion.negotiate(accept: request.header("accept"), supported: route.versions)
        if negotiated == nil,
            let gone = APIVersion.requestedDates(accept: request.header("accept")).first(
                where: route.sunsetVersions.contains)
        {
            return APIError(
                status: 410, errorCode: "VERSION_GONE",
                detail: "The requested API version \(gone) for this resource is no longer supported.",
                parameters: [.string(gone)]
            ).response(pretty: pretty)
        }
        guard let version = negotiated else {
            return APIError(
                status: 406, errorCode: "INVALID_VERSION_DATE", detail: "Invalid accept header or version date.",
                parameters: [.string(request.header("accept") ?? "")]
            ).response(pretty: pretty)
        }
        var rateHeaders: [(name: String, value: String)] = []
        if var limiter = bucket, limiter.limit.scope == .all || request.isWrite {
            let (allowed, remaining) = limiter.take(now: now)
            bucket = limiter
            rateHeaders = [
                ("RateLimit-Limit", String(limiter.limit.capacity)), ("RateLimit-Remaining", String(remaining)),
            ]
            if !allowed {
                return rateLimited(request: request, headers: rateHeaders).response(pretty: pretty)
            }
        }
        var response: APIResponse
        do {
            response = try perform(route, version: version, principal: principal, request: request)
        } catch {
            var refusal = decorate(error)
            refusal.headers.append(contentsOf: rateHeaders)
            return refusal.response(pretty: pretty)
        }
        response.headers.append(contentsOf: rateHeaders)
        if route.isDeprecated(version) {
            response.headers.append(("Deprecation", "Wed, 19 Feb 2025 00:00:00 GMT"))
            response.headers.append(("Sunset", "Thu, 1 Jul 2027 00:00:00 GMT"))
        }
        return response
    }

    private func rateLimited(request: APIRequest, headers: [(name: String, value: String)]) -> APIError {
        let retryAfter = currentFaults.retryAfterSeconds
        let endpoint = request.path.split(separator: "/").prefix(4).joined(separator: "/")
        var allHeaders = headers
        if let retryAfter { allHeaders.append(("Retry-After", String(retryAfter))) }
        // Atlas states its bucket in the detail and the parameters: capacity, and the refill as tokens
        // per period (per 60 seconds in every answer recorded).
        let capacity = bucket?.limit.capacity ?? 0
        let refillPerMinute = Int(((bucket?.limit.refillPerSecond ?? 0) * 60).rounded())
        return APIError(
            status: 429, errorCode: "RATE_LIMITED_TOKEN_BUCKET",
            detail: "Rate limit exceeded for \(endpoint). Please retry after \(retryAfter ?? 1) seconds. "
                + "Request capacity: \(capacity). Refill rate: \(refillPerMinute) per 60 seconds.",
            parameters: [.string(endpoint), .int(retryAfter ?? 1), .int(capacity), .int(refillPerMinute), .int(60)],
            headers: allHeaders)
    }

    /// With `hostileText`, error details carry terminal escapes too, for the client's sanitizer.
    func decorate(_ error: APIError) -> APIError {
        guard hostileText, let detail = error.detail else { return error }
        var hostile = error
        hostile.detail = detail + " " + NameCatalog.hostileFragments[error.status % NameCatalog.hostileFragments.count]
        return hostile
    }

    private func perform(_ route: Route, version: APIVersion, principal: Principal, request: APIRequest)
        throws(APIError) -> APIResponse
    {
        for id in route.pathIds where !Self.isObjectId(id.value) {
            throw .invalidId(id.name, id.value)
        }
        if route.requiresOwner, principal != .owner {
            // Atlas answers a missing role with 401, not 403: a 401 is not always a refused credential.
            throw APIError(
                status: 401, errorCode: "USER_UNAUTHORIZED",
                detail: "Current user is not authorized to perform this action.")
        }
        let context = ResponseContext(request: request, version: version)
        switch route {
        case .listOrgs: return try listOrgs(context)
        case .getOrg(let orgId): return try getOrg(orgId, context)
        case .listOrgUsers(let orgId): return try listOrgUsers(orgId, context)
        case .getOrgUser(let orgId, let userId): return try getOrgUser(orgId, userId, context)
        case .updateOrgUser(let orgId, let userId): return try updateOrgUser(orgId, userId, context)
        case .updateOrgUserRoles(let orgId, let userId):
            if currentFaults.putVersionGone {
                throw APIError(
                    status: 410, errorCode: "VERSION_GONE",
                    detail: "The requested API version 2023-01-01 for this resource is no longer supported; "
                        + "use updateOrgUser (PATCH /orgs/{orgId}/users/{userId}) with version 2025-02-19.",
                    parameters: [.string(version.rawValue)])
            }
            return try updateOrgUserRoles(orgId, userId, context)
        case .addOrgUserRole(let orgId, let userId): return try changeOneRole(orgId, userId, adding: true, context)
        case .removeOrgUserRole(let orgId, let userId): return try changeOneRole(orgId, userId, adding: false, context)
        case .listOrgInvites(let orgId): return try listOrgInvites(orgId, context)
        case .listOrgTeams(let orgId): return try listOrgTeams(orgId, context)
        case .createOrgUser(let orgId): return try createOrgUser(orgId, context)
        case .removeOrgUser(let orgId, let userId): return try removeOrgUser(orgId, userId, context)
        case .getOrgGroups(let orgId): return try getOrgGroups(orgId, context)
        case .listRateLimits: return try listRateLimits(context)
        }
    }

    static func isObjectId(_ text: String) -> Bool {
        text.utf8.count == 24 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The organization's position, or 404.
    func organizationIndex(_ orgId: String) throws(APIError) -> Int {
        guard let index = organizationIndexById[orgId] else { throw .organizationNotFound(orgId) }
        return index
    }

    /// The user's position in the organization, or 404.
    func userIndex(_ userId: String, in org: Int) throws(APIError) -> Int {
        guard let index = organizations[org].indexById[userId] else {
            throw .userNotFound(userId, orgId: organizations[org].id)
        }
        return index
    }
}

/// Why the sandbox could not start.
public struct SandboxStartError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for a person.
    public let description: String
}
