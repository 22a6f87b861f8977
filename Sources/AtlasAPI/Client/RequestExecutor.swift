#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One API request as the client describes it, before auth and retries.
struct APIRequest: Sendable {
    /// The call as a person names it (carried by every error and event).
    var call: APICall
    /// The path from the server's root, such as `/api/atlas/v2/orgs` or `/api/oauth/token`.
    var path: String
    var query: [URLQueryItem] = []
    /// The `Accept` media type; an Atlas versioned type for API calls.
    var accept: String
    var contentType: String?
    var body: Data?
    /// Whether sending it twice is harmless, which allows retrying 5xx, resets and timeouts.
    var isIdempotent: Bool
    /// At most this many attempts; nil: the retry policy's.
    var maxAttempts: Int?
}

/// Supplies a request's authentication and hears when the server refused it.
protocol RequestAuthorizer: Sendable {
    func authentication() async throws -> HTTPAuthentication
    /// Called on a 401; returns true when new credentials are ready and the request may be sent once more.
    func rejected(_ authentication: HTTPAuthentication) async -> Bool
}

/// Credentials that never change in a session: Digest API keys, or the Basic credentials of the
/// token endpoint.
struct StaticAuthorizer: RequestAuthorizer {
    let value: HTTPAuthentication
    func authentication() async throws -> HTTPAuthentication { value }
    func rejected(_ authentication: HTTPAuthentication) async -> Bool { false }
}

/// Sends API requests through the transfer pool: authentication, retries with backoff, version
/// notices, and the translation of every failure into an ``AtlasError``.
final class RequestExecutor: Sendable {
    let baseURL: String
    let pool: TransferPool
    let policy: RetryPolicy
    let connectTimeout: Double
    let requestTimeout: Double
    let events: ServiceEventHub
    let redactor: SecretRedactor
    private let announcedDeprecations = LockedValue<Set<String>>([])
    /// Until when the server asked every request to wait (its last 429 `Retry-After`), shared by all
    /// requests of this client: the limit is the key's, so a request that did not get the 429 must
    /// not spend the tokens the waiting ones need, or a bulk apply starves its retries into failures.
    private let rateLimitedUntil = LockedValue<ContinuousClock.Instant?>(nil)
    /// Paces writes by the budget the server's `RateLimit-*` headers announce (reads are few: a
    /// 10,000-user load is 20 pages).
    let writePacer = RateBudgetPacer()
    /// The one look-up of the write budget (`GET /rateLimits`) that writes wait for, once started.
    private let budgetLookup = LockedValue<Task<Void, Never>?>(nil)

    init(
        baseURL: String, pool: TransferPool, policy: RetryPolicy, connectTimeout: Double, requestTimeout: Double,
        events: ServiceEventHub, redactor: SecretRedactor
    ) {
        self.baseURL = baseURL
        self.pool = pool
        self.policy = policy
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.events = events
        self.redactor = redactor
    }

    /// Sends `request` until it succeeds and `decode` accepts the body, or a failure is final.
    func send<Value: Sendable>(
        _ request: APIRequest, authorizer: any RequestAuthorizer,
        decode: @Sendable (HTTPResponse) throws -> Value
    ) async throws -> Value {
        // The last line of defence against an id that was never checked: a request to a path that a
        // URL parser would normalise (`..`) or decode (`%2F`) is not sent, signed or not.
        guard AtlasID.isSafePath(request.path) else {
            throw AtlasError(
                .configuration(
                    "refusing to send \(request.call.method) to an unsafe path "
                        + "(an id that is not 24 hex digits?): \(SafeText.sanitized(request.path))"),
                call: request.call)
        }
        var attempt = 1
        var reauthorized = false
        while true {
            if Task.isCancelled { throw AtlasError(.cancelled, call: request.call) }
            try await waitOutRateLimit(call: request.call)
            let authentication = try await authorizer.authentication()
            let sequence = request.call.method == "GET" ? nil : try await waitForBudget(call: request.call)
            let outcome = await sendOnce(request, authentication: authentication, paced: sequence, decode: decode)
            switch outcome {
            case .success(let value):
                return value
            case .failure(let failure):
                if failure.error.refusesCredentials, !reauthorized, await authorizer.rejected(authentication) {
                    // One fresh token and one more try; a second 401 is the account's real answer.
                    reauthorized = true
                    continue
                }
                guard attempt < min(policy.maxAttempts, request.maxAttempts ?? policy.maxAttempts),
                    let wait = retryDelay(for: failure, request: request, attempt: attempt)
                else { throw failure.error }
                if failure.status == 429, failure.retryAfter != nil {
                    holdForRateLimit(seconds: wait)
                }
                var reason = failure.reason
                if let asked = failure.retryAfter, asked > wait {
                    // A server asking for hours (or 1e308 s) gets the policy's limit; the person watching
                    // sees both, not a wait that seems to ignore the server.
                    reason += "; Retry-After \(asked)s cut to \(wait)s"
                }
                events.emit(.retryWait(call: request.call, seconds: wait, attempt: attempt + 1, reason: reason))
                do {
                    try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
                } catch {
                    throw AtlasError(.cancelled, call: request.call)
                }
                attempt += 1
            }
        }
    }

    /// Holds every request of this client for `seconds` (or longer, when another 429 asked for longer).
    private func holdForRateLimit(seconds: Double) {
        let until = ContinuousClock.now + .nanoseconds(Int64(seconds * 1_000_000_000))
        rateLimitedUntil.withLock { current in
            if current.map({ $0 < until }) ?? true { current = until }
        }
    }

    /// Sleeps until the server's last `Retry-After` has passed (again if it was extended meanwhile).
    private func waitOutRateLimit(call: APICall) async throws {
        while let until = rateLimitedUntil.current, until > ContinuousClock.now {
            do {
                try await Task.sleep(until: until, clock: .continuous)
            } catch {
                throw AtlasError(.cancelled, call: call)
            }
        }
    }

    /// Starts `lookup` unless one was started before: it teaches ``writePacer`` the write budget, and
    /// writes wait for it to end.
    func lookUpWriteBudgetOnce(_ lookup: @escaping @Sendable () async -> Void) {
        budgetLookup.withLock { current in
            if current == nil { current = Task { await lookup() } }
        }
    }

    /// Waits until the server's budget has a token for one more write; answers the token's sequence
    /// number. Every wait is announced, as a retry's is.
    private func waitForBudget(call: APICall) async throws -> Int {
        if let lookup = budgetLookup.current { await lookup.value }
        while true {
            switch writePacer.admit() {
            case .send(let sequence):
                return sequence
            case .awaitFirstAnswer:
                // About one round trip, once per client: not worth a line on the screen.
                do {
                    try await Task.sleep(nanoseconds: 10_000_000)
                } catch {
                    throw AtlasError(.cancelled, call: call)
                }
            case .wait(let seconds, let remaining, let limit):
                events.emit(.budgetWait(call: call, seconds: seconds, remaining: remaining, limit: limit))
                do {
                    try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                } catch {
                    throw AtlasError(.cancelled, call: call)
                }
            }
        }
    }

    /// What went wrong with one attempt, with what the retry decision needs.
    struct AttemptFailure: Error {
        var error: AtlasError
        var retryAfter: Double?
        var status: Int? { error.status }
        /// A short reason for the status line ("429 RATE_LIMITED", "curl 56").
        var reason: String {
            switch error.kind {
            case .api(let status, let envelope): "\(status) \(envelope.errorCode)"
            case .httpStatus(let status, _): "HTTP \(status)"
            case .malformedResponse(let status, _, _): "unreadable body (HTTP \(status))"
            case .transport(let code, let message): "curl \(code): \(message)"
            case .cancelled: "cancelled"
            case .configuration(let message): message
            }
        }
    }

    private func sendOnce<Value>(
        _ request: APIRequest, authentication: HTTPAuthentication, paced sequence: Int?,
        decode: (HTTPResponse) throws -> Value
    ) async -> Result<Value, AttemptFailure> {
        let response: HTTPResponse
        do {
            response = try await pool.perform(httpRequest(for: request, authentication: authentication))
        } catch TransportFailure.curl(let code, let message) {
            if let sequence { writePacer.abandon(sequence: sequence) }
            let error = AtlasError(.transport(curlCode: code, message: redactor.redact(message)), call: request.call)
            return .failure(AttemptFailure(error: error))
        } catch {
            if let sequence { writePacer.abandon(sequence: sequence) }
            return .failure(AttemptFailure(error: AtlasError(.cancelled, call: request.call)))
        }
        if let sequence {
            writePacer.record(
                sequence: sequence, limit: response.header("RateLimit-Limit").flatMap { Int($0) },
                remaining: response.header("RateLimit-Remaining").flatMap { Int($0) }, status: response.status)
        }
        noticeDeprecation(response, call: request.call)
        guard (200..<300).contains(response.status) else {
            return .failure(
                AttemptFailure(
                    error: ResponseErrors.error(for: response, call: request.call, redactor: redactor),
                    retryAfter: HTTPDates.retryAfterSeconds(response.header("Retry-After"))))
        }
        if let served = Self.servedVersion(response), let asked = Self.version(ofMediaType: request.accept),
            served != asked
        {
            // Atlas serves the latest version on or before the date asked for: a body of another
            // version has other fields (a 2023-01-01 user has no `roles.orgRoles`), never to be read as
            // the one asked for.
            let kind = AtlasError.Kind.malformedResponse(
                status: response.status,
                message: "the server answered API version \(served) where \(asked) was asked for",
                bodyExcerpt: ResponseErrors.excerpt(response.body, redactor: redactor))
            return .failure(AttemptFailure(error: AtlasError(kind, call: request.call)))
        }
        do {
            return .success(try decode(response))
        } catch let error as AtlasError {
            return .failure(AttemptFailure(error: error))
        } catch {
            let excerpt = ResponseErrors.excerpt(response.body, redactor: redactor)
            let kind = AtlasError.Kind.malformedResponse(
                status: response.status, message: ResponseErrors.describe(decodingError: error), bodyExcerpt: excerpt)
            return .failure(AttemptFailure(error: AtlasError(kind, call: request.call)))
        }
    }

    /// The date in an `application/vnd.atlas.<date>+json` media type, from a response's
    /// `Content-Type` or a request's `Accept`; nil for any other type (JSON errors, OAuth answers).
    static func servedVersion(_ response: HTTPResponse) -> String? {
        response.header("Content-Type").flatMap { version(ofMediaType: $0) }
    }

    static func version(ofMediaType mediaType: String) -> String? {
        let type = mediaType.split(separator: ";").first.map { $0.trimmingWhitespace().lowercased() }
        guard let type, type.hasPrefix("application/vnd.atlas."), type.hasSuffix("+json") else { return nil }
        return String(type.dropFirst("application/vnd.atlas.".count).dropLast("+json".count))
    }

    /// Seconds to wait before trying again, or nil when this failure is final.
    private func retryDelay(for failure: AttemptFailure, request: APIRequest, attempt: Int) -> Double? {
        switch failure.error.kind {
        case .api(let status, _), .httpStatus(let status, _):
            if status == 429 {
                // The server did nothing with a rate-limited request, so even a non-idempotent one may go again.
                return failure.retryAfter.map { min($0, policy.maximumRetryAfter) }
                    ?? policy.rateLimitWait(afterAttempt: attempt)
            }
            guard request.isIdempotent, [500, 502, 503, 504].contains(status) else { return nil }
            return failure.retryAfter.map { min($0, policy.maximumRetryAfter) } ?? policy.backoff(afterAttempt: attempt)
        case .transport(let code, _):
            // Connection refused / DNS failures mean nothing was sent: safe for every call.
            let notSent = [6, 7].contains(code)
            guard request.isIdempotent || notSent else { return nil }
            return policy.backoff(afterAttempt: attempt)
        case .malformedResponse:
            return request.isIdempotent ? policy.backoff(afterAttempt: attempt) : nil
        case .cancelled, .configuration:
            return nil
        }
    }

    private func httpRequest(for request: APIRequest, authentication: HTTPAuthentication) -> HTTPRequest {
        var url = baseURL + request.path
        if !request.query.isEmpty {
            var components = URLComponents()
            components.queryItems = request.query
            url += "?" + (components.percentEncodedQuery ?? "")
        }
        var headers: [(name: String, value: String)] = [("Accept", request.accept)]
        if let contentType = request.contentType { headers.append(("Content-Type", contentType)) }
        return HTTPRequest(
            method: request.call.method, url: url, headers: headers, body: request.body,
            authentication: authentication, connectTimeout: connectTimeout, totalTimeout: requestTimeout)
    }

    /// Reports `Deprecation`/`Sunset` once per call shape (method, path with ids elided, version).
    private func noticeDeprecation(_ response: HTTPResponse, call: APICall) {
        let deprecation = response.header("Deprecation")
        let sunset = response.header("Sunset")
        guard deprecation != nil || sunset != nil else { return }
        let shape = "\(call.method) \(Self.pathShape(call.path)) \(call.version)"
        let isNew = announcedDeprecations.withLock { $0.insert(shape).inserted }
        guard isNew else { return }
        events.emit(
            .deprecation(
                call: call, deprecation: deprecation.flatMap(HTTPDates.parse), sunset: sunset.flatMap(HTTPDates.parse)))
    }

    /// `/orgs/5f…/users/6a…/roles` → `/orgs/{id}/users/{id}/roles`.
    static func pathShape(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            let (head, tail) =
                segment.firstIndex(of: ":").map { (segment[..<$0], segment[$0...]) } ?? (segment[...], "")
            let isId = head.count == 24 && head.allSatisfy { $0.isHexDigit }
            return (isId ? "{id}" : String(head)) + tail
        }.joined(separator: "/")
    }
}
