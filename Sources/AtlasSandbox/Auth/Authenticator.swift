#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Checks API-key Digest answers and service-account Bearer tokens, and issues both challenges.
///
/// Nonces are remembered with the highest `nc` seen, so a client may reuse a nonce with a growing
/// count (as libcurl and requests do) while a replayed count is refused. An expired nonce with an
/// otherwise correct answer gets `stale=true`, telling the client to retry with the new nonce
/// without asking the person again.
struct Authenticator: Sendable {
    static let realm = "MMS Public API"

    private struct NonceRecord {
        let issuedAt: Date
        var highestCount: UInt64
    }

    private struct TokenRecord {
        let expiresAt: Date
    }

    let credentials: SandboxCredentials
    let nonceLifetime: TimeInterval
    let tokenLifetime: TimeInterval
    private var nonces: [String: NonceRecord] = [:]
    private var tokens: [String: TokenRecord] = [:]

    init(credentials: SandboxCredentials, nonceLifetimeSeconds: Int, tokenLifetimeSeconds: Int) {
        self.credentials = credentials
        nonceLifetime = TimeInterval(nonceLifetimeSeconds)
        tokenLifetime = TimeInterval(tokenLifetimeSeconds)
    }

    /// The principal of an API request, or the 401 to answer.
    mutating func authenticate(_ request: APIRequest, now: Date) -> Result<Principal, APIError> {
        guard let authorization = request.header("authorization") else {
            return .failure(unauthorized(now: now, stale: false))
        }
        if authorization.lowercased().hasPrefix("bearer ") {
            let token = authorization.dropFirst("bearer ".count).trimmingWhitespace()
            guard let record = tokens[token], record.expiresAt > now else {
                tokens[token] = nil
                var error = unauthorized(now: now, stale: false)
                error.headers = [
                    (
                        "WWW-Authenticate",
                        "Bearer error=\"invalid_token\", error_description=\"The access token is invalid or expired\""
                    )
                ]
                return .failure(error)
            }
            return .success(.owner)
        }
        guard let digest = DigestCredentials(header: authorization) else {
            return .failure(unauthorized(now: now, stale: false))
        }
        return verify(digest, request: request, now: now)
    }

    private mutating func verify(_ digest: DigestCredentials, request: APIRequest, now: Date)
        -> Result<Principal, APIError>
    {
        let keys: [(SandboxCredentials.APIKey, Principal)] = [
            (credentials.apiKey, .owner), (credentials.memberOnlyApiKey, .memberOnly),
        ]
        guard let username = digest["username"], let match = keys.first(where: { $0.0.publicKey == username }),
            digest["realm"] == Self.realm, let nonce = digest["nonce"], let uri = digest["uri"],
            uri == request.target || uri == request.path,
            let sent = digest["response"]?.lowercased(),
            let expected = digest.expectedResponse(
                password: match.0.privateKey, method: request.method, realm: Self.realm),
            sent == expected
        else {
            return .failure(unauthorized(now: now, stale: false))
        }
        // The answer is right; only the nonce can still be wrong.
        guard let record = nonces[nonce], now.timeIntervalSince(record.issuedAt) < nonceLifetime else {
            nonces[nonce] = nil
            return .failure(unauthorized(now: now, stale: true))
        }
        if digest["qop"] != nil {
            guard let countText = digest["nc"], let count = UInt64(countText, radix: 16), count > record.highestCount
            else {
                return .failure(unauthorized(now: now, stale: false))
            }
            nonces[nonce]?.highestCount = count
        }
        return .success(match.1)
    }

    /// A 401 with the error envelope and a fresh Digest challenge in the exact form Atlas sends.
    mutating func unauthorized(now: Date, stale: Bool) -> APIError {
        let nonce = issueNonce(now: now)
        let challenge =
            "Digest realm=\"\(Self.realm)\", domain=\"\", nonce=\"\(nonce)\", algorithm=MD5, qop=\"auth\", stale=\(stale)"
        return APIError(
            status: 401, errorCode: "UNEXPECTED_ERROR", detail: APIError.unauthorizedDetail,
            headers: [("WWW-Authenticate", challenge)])
    }

    private mutating func issueNonce(now: Date) -> String {
        if nonces.count > 10_000 {
            nonces = nonces.filter { now.timeIntervalSince($0.value.issuedAt) < nonceLifetime }
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let nonce = Data(bytes).base64EncodedString()
        nonces[nonce] = NonceRecord(issuedAt: now, highestCount: 0)
        return nonce
    }

    /// Whether a `Basic` header names the service account.
    func isServiceAccount(basicAuthorization header: String?) -> Bool {
        guard let header, header.lowercased().hasPrefix("basic "),
            let decoded = Data(
                base64Encoded: header.dropFirst("basic ".count).trimmingWhitespace()),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return false }
        let account = credentials.serviceAccount
        return text[..<colon] == account.clientId && text[text.index(after: colon)...] == account.clientSecret
    }

    /// A new opaque access token and its lifetime in seconds.
    mutating func issueToken(now: Date) -> (token: String, expiresIn: Int) {
        if tokens.count > 10_000 { tokens = tokens.filter { $0.value.expiresAt > now } }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<40).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }.joined()
        tokens[token] = TokenRecord(expiresAt: now.addingTimeInterval(tokenLifetime))
        return (token, Int(tokenLifetime))
    }

    /// Forgets a token; unknown tokens are fine (RFC 7009).
    mutating func revoke(token: String) {
        tokens[token] = nil
    }
}
