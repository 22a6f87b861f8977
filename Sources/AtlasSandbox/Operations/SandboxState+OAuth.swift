#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// The service-account endpoints: client credentials for a token, and revocation.

extension SandboxState {
    /// `POST /api/oauth/token` and `POST /api/oauth/revoke`, both with the client's Basic credentials.
    func handleOAuth(_ request: APIRequest) -> APIResponse {
        let pretty = request.query["pretty"] == "true"
        let endpoint = String(request.path.dropFirst("/api/oauth/".count))
        guard endpoint == "token" || endpoint == "revoke" else {
            return APIError(
                status: 404, errorCode: "RESOURCE_NOT_FOUND", detail: "Cannot find resource \(request.path).",
                parameters: [.string(request.path)]
            ).response(pretty: pretty)
        }
        guard request.method == "POST" else {
            return APIError(
                status: 405, errorCode: "METHOD_NOT_ALLOWED", detail: "Use POST on \(request.path).",
                headers: [("Allow", "POST")]
            ).response(pretty: pretty)
        }
        guard authenticator.isServiceAccount(basicAuthorization: request.header("authorization")) else {
            return APIError(
                status: 401, errorCode: "INVALID_CLIENT",
                detail: "Client authentication failed: unknown client id or wrong client secret.",
                headers: [("WWW-Authenticate", "Basic realm=\"\(Authenticator.realm)\"")]
            ).response(pretty: pretty)
        }
        var response = handleAuthenticatedOAuth(request, endpoint: endpoint, pretty: pretty)
        response.authenticated = true
        return response
    }

    /// The token and revoke endpoints once the client's Basic credentials were accepted.
    private func handleAuthenticatedOAuth(_ request: APIRequest, endpoint: String, pretty: Bool) -> APIResponse {
        let form = QueryParameters(rawQuery: String(decoding: request.body, as: UTF8.self))
        if endpoint == "revoke" {
            guard let token = form["token"], !token.isEmpty else {
                return APIError.validation("token is required.", field: "token", description: "must be present")
                    .response(pretty: pretty)
            }
            authenticator.revoke(token: token)
            return APIResponse(status: 200, headers: [("Content-Length", "0")])
        }
        guard form["grant_type"] == "client_credentials" else {
            return APIError(
                status: 400, errorCode: "UNSUPPORTED_GRANT_TYPE",
                detail: "grant_type must be client_credentials.", parameters: [.string(form["grant_type"] ?? "")]
            ).response(pretty: pretty)
        }
        let now = Date()
        guard takeTokenRequest(clientId: authenticator.credentials.serviceAccount.clientId, now: now) else {
            let perMinute = currentFaults.tokenRequestsPerMinute
            let retryAfter = max(1, Int((60 / Double(perMinute)).rounded(.up)))
            // Atlas's own words for this limit (NOTES.md), with the sandbox's configured count.
            return APIError(
                status: 429, errorCode: "RATE_LIMITED",
                detail: "Resource /api/oauth/token is limited to \(perMinute) requests every 1 minutes.",
                parameters: [.string("/api/oauth/token"), .int(perMinute), .int(1)],
                headers: [("Retry-After", String(retryAfter))]
            ).response(pretty: pretty)
        }
        guard let (token, expiresIn) = authenticator.issueToken(now: now) else {
            // Atlas caps a service account at 100 active tokens but documents no answer for the
            // 101st: this code is the sandbox's own (docs/sandbox.md).
            return APIError(
                status: 400, errorCode: "MAX_ACTIVE_TOKENS_EXCEEDED",
                detail:
                    "The service account already holds \(Authenticator.maximumActiveTokens) active access tokens. "
                    + "Reuse or revoke one.",
                parameters: [.int(Authenticator.maximumActiveTokens)]
            ).response(pretty: pretty)
        }
        var response = APIResponse.json(
            .object([
                ("access_token", .string(token)), ("expires_in", .int(expiresIn)), ("token_type", .string("Bearer")),
            ]), pretty: pretty)
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }
}
