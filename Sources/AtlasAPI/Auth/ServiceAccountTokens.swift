#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The bearer tokens of one service account: fetched from `/api/oauth/token`, kept in memory and on
/// disk, reused until shortly before they expire, replaced once when the server rejects one, revoked
/// on request.
///
/// Concurrent callers share one token request: the ten page fetches that start together after the
/// first page wait for the same token instead of minting ten.
actor ServiceAccountTokens: RequestAuthorizer {
    private let clientId: String
    private let clientSecret: String
    private let executor: RequestExecutor
    private let diskCache: TokenDiskCache?
    private let renewalMargin: Double
    private var current: CachedAccessToken?
    private var pending: Task<CachedAccessToken, any Error>?
    /// When a refused token was last thrown away: the token endpoint allows 50 requests a minute, so
    /// a server that keeps refusing fresh tokens is believed after one renewal a minute.
    private var lastForcedRenewal: ContinuousClock.Instant?
    /// Tokens obtained by this process, for the redactor and for tests.
    private(set) var tokensIssued = 0

    init(
        clientId: String, clientSecret: String, executor: RequestExecutor, diskCache: TokenDiskCache?,
        renewalMargin: Double
    ) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.executor = executor
        self.diskCache = diskCache
        self.renewalMargin = renewalMargin
        executor.redactor.register(clientSecret)
        // The Basic header's value, in case a server echoes the request's headers back.
        executor.redactor.register(
            Data("\(Self.formComponent(clientId)):\(Self.formComponent(clientSecret))".utf8).base64EncodedString())
    }

    func authentication() async throws -> HTTPAuthentication {
        .bearer(token: try await validToken().accessToken)
    }

    /// A 401 on a bearer request: forget that token (here and on disk) so the retry mints a new one.
    func rejected(_ authentication: HTTPAuthentication) async -> Bool {
        guard case .bearer(let token) = authentication else { return false }
        if current?.accessToken == token {
            let now = ContinuousClock.now
            if let last = lastForcedRenewal, now - last < .seconds(60) { return false }
            lastForcedRenewal = now
            current = nil
            diskCache?.remove()
        }
        return true
    }

    /// Revokes the current token (`POST /api/oauth/revoke`) and forgets it everywhere.
    func revoke() async throws {
        let token = current ?? diskCache?.load()
        current = nil
        diskCache?.remove()
        guard let token else { return }
        var form = URLComponents()
        form.queryItems = [
            URLQueryItem(name: "token", value: token.accessToken),
            URLQueryItem(name: "token_type_hint", value: "access_token"),
        ]
        let request = APIRequest(
            call: APICall(method: "POST", path: "/api/oauth/revoke", version: .oauth), path: "/api/oauth/revoke",
            accept: "application/json", contentType: "application/x-www-form-urlencoded",
            body: Data(Self.formEncoded(form).utf8), isIdempotent: true)
        _ = try await executor.send(request, authorizer: basicAuthorizer) { _ in () }
    }

    private var basicAuthorizer: StaticAuthorizer {
        // RFC 6749 §2.3.1, as the Atlas SDK does: each part form-encoded before it is joined with `:`,
        // so a `:` or `%` in a secret cannot change where the id ends.
        StaticAuthorizer(
            value: .basic(username: Self.formComponent(clientId), password: Self.formComponent(clientSecret)))
    }

    /// `application/x-www-form-urlencoded` encoding of one value: unreserved characters kept, the rest `%XX`.
    static func formComponent(_ value: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return value.utf8.map { byte in
            guard !unreserved.contains(byte) else { return String(UnicodeScalar(byte)) }
            let hex = String(byte, radix: 16, uppercase: true)
            return "%" + (hex.count == 1 ? "0" + hex : hex)
        }.joined()
    }

    private func validToken() async throws -> CachedAccessToken {
        if let current, isFresh(current) { return current }
        if let cached = diskCache?.load(), isFresh(cached) {
            current = cached
            executor.redactor.register(cached.accessToken)
            return cached
        }
        if let pending { return try await pending.value }
        let task = Task { try await self.requestToken() }
        pending = task
        defer { pending = nil }
        let token = try await task.value
        current = token
        diskCache?.store(token)
        return token
    }

    /// Fresh means not within the renewal margin of its expiry; the margin is at most a tenth of the
    /// token's remaining life so that very short-lived tokens (tests) are still used.
    private func isFresh(_ token: CachedAccessToken) -> Bool {
        let remaining = token.expiresAt.timeIntervalSinceNow
        return remaining > min(renewalMargin, max(0, remaining) / 10) && remaining > 0
    }

    private func requestToken() async throws -> CachedAccessToken {
        let request = APIRequest(
            call: APICall(method: "POST", path: "/api/oauth/token", version: .oauth), path: "/api/oauth/token",
            accept: "application/json", contentType: "application/x-www-form-urlencoded",
            body: Data("grant_type=client_credentials".utf8), isIdempotent: true)
        let started = Date()
        let answer = try await executor.send(request, authorizer: basicAuthorizer) { response in
            try JSONDecoder().decode(WireAccessToken.self, from: response.body)
        }
        executor.redactor.register(answer.accessToken)
        guard CachedAccessToken.isBearerToken(answer.accessToken) else {
            // It goes into an Authorization header: a CR or LF in it would add headers of the server's.
            throw AtlasError(
                .malformedResponse(
                    status: 200, message: "the access token has characters a bearer token cannot have (RFC 6750)",
                    bodyExcerpt: ""),
                call: request.call)
        }
        tokensIssued += 1
        // Atlas says 3600; a lifetime outside a second to a day is the server's mistake, not a reason to
        // keep a token for ever or to ask for a new one before every call.
        let lifetime = min(max(answer.expiresIn ?? 3600, 1), 86_400)
        return CachedAccessToken(
            baseURL: executor.baseURL, clientId: clientId, accessToken: answer.accessToken,
            expiresAt: started.addingTimeInterval(lifetime.isFinite ? lifetime : 3600))
    }

    /// `application/x-www-form-urlencoded`: like a query string, but `+` must be escaped too.
    private static func formEncoded(_ components: URLComponents) -> String {
        (components.percentEncodedQuery ?? "").replacing("+", with: "%2B")
    }
}

extension APIVersion {
    /// The OAuth endpoints are not versioned; this marks their calls in errors and events.
    static let oauth = APIVersion(rawValue: "OAuth")
}
