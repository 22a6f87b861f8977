import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Checks API-key Digest answers and service-account Bearer tokens, and issues both challenges.
///
/// Nonces are remembered with the `nc` values seen, so a client may reuse a nonce with a growing
/// count (as libcurl and requests do) while a replayed count is refused. A count is refused only when
/// seen before (RFC 7616 §3.4), not when it is lower than another: requests signed in order on
/// concurrent HTTP/2 streams may arrive out of order. An expired nonce with an
/// otherwise correct answer gets `stale=true`, telling the client to retry with the new nonce
/// without asking the person again.
struct Authenticator: Sendable {
    static let realm = "MMS Public API"

    private struct NonceRecord {
        let issuedAt: Date
        var seenCounts: Set<UInt64> = []
        /// Answered once, in single-use mode.
        var spent = false
    }

    private struct TokenRecord {
        let expiresAt: Date
    }

    let credentials: SandboxCredentials
    let nonceLifetime: TimeInterval
    let tokenLifetime: TimeInterval
    /// A nonce answers one request only; a second use gets a fresh challenge with `stale=false`.
    let singleUseNonces: Bool
    private var nonces: [String: NonceRecord] = [:]
    private var tokens: [String: TokenRecord] = [:]
    /// Signs the JWTs; only this sandbox ever checks them, by looking them up.
    private let tokenSigningKey: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }

    init(
        credentials: SandboxCredentials, nonceLifetimeSeconds: Int, tokenLifetimeSeconds: Int,
        singleUseNonces: Bool = false
    ) {
        self.credentials = credentials
        self.singleUseNonces = singleUseNonces
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
        if singleUseNonces {
            // Spent after one answer: a strict server tells the client to start over (`stale=false`),
            // not that the nonce merely aged.
            guard !record.spent else { return .failure(unauthorized(now: now, stale: false)) }
            nonces[nonce]?.spent = true
            return .success(match.1)
        }
        if digest["qop"] != nil {
            guard let countText = digest["nc"], let count = UInt64(countText, radix: 16), count > 0,
                !record.seenCounts.contains(count)
            else {
                return .failure(unauthorized(now: now, stale: false))
            }
            nonces[nonce]?.seenCounts.insert(count)
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
        nonces[nonce] = NonceRecord(issuedAt: now)
        return nonce
    }

    /// Whether a `Basic` header names the service account.
    func isServiceAccount(basicAuthorization header: String?) -> Bool {
        guard let header, header.lowercased().hasPrefix("basic "),
            let decoded = Data(
                base64Encoded: header.dropFirst("basic ".count).trimmingWhitespace()),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return false }
        // Each part is form-encoded before joining (RFC 6749 §2.3.1), as Atlas's SDK sends it.
        let account = credentials.serviceAccount
        return QueryParameters.decode(text[..<colon]) == account.clientId
            && QueryParameters.decode(text[text.index(after: colon)...]) == account.clientSecret
    }

    /// Active tokens one service account may hold, as Atlas allows.
    static let maximumActiveTokens = 100

    /// A new access token (a signed JWT, as Atlas's are) and its lifetime in seconds; nil when the
    /// account already holds ``maximumActiveTokens`` unexpired tokens.
    mutating func issueToken(now: Date) -> (token: String, expiresIn: Int)? {
        tokens = tokens.filter { $0.value.expiresAt > now }
        guard tokens.count < Self.maximumActiveTokens else { return nil }
        let expiresAt = now.addingTimeInterval(tokenLifetime)
        var generator = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ -> String in
            let hex = String(UInt8.random(in: 0...255, using: &generator), radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
        let header = Self.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let subject = credentials.serviceAccount.clientId
        let issued = Int(now.timeIntervalSince1970)
        let expires = Int(expiresAt.timeIntervalSince1970)
        let claims = Self.base64URL(
            Data(#"{"sub":"\#(subject)","iat":\#(issued),"exp":\#(expires),"jti":"\#(id)"}"#.utf8))
        let signature = HMAC<SHA256>.authenticationCode(
            for: Data("\(header).\(claims)".utf8), using: SymmetricKey(data: tokenSigningKey))
        let token = "\(header).\(claims).\(Self.base64URL(Data(signature)))"
        tokens[token] = TokenRecord(expiresAt: expiresAt)
        return (token, Int(tokenLifetime))
    }

    private static func base64URL(_ data: Data) -> String {
        String(
            data.base64EncodedString().compactMap { character -> Character? in
                switch character {
                case "+": "-"
                case "/": "_"
                case "=": nil
                default: character
                }
            })
    }

    /// Forgets a token; unknown tokens are fine (RFC 7009).
    mutating func revoke(token: String) {
        tokens[token] = nil
    }
}
