extension AtlasError {
    /// What a person can do about this error, when the error says enough to tell; nil otherwise.
    ///
    /// A front end words it (it knows its flags, settings and panes) and shows it under the error's own
    /// lines, never instead of them: the server's words come first, this is the step that usually
    /// follows. Only codes and statuses Atlas documents are interpreted.
    public var remedy: Remedy? {
        switch kind {
        case .api(let status, let envelope):
            return Self.remedy(status: status, errorCode: envelope.errorCode, call: call)
        case .httpStatus(let status, _):
            if status == 407 { return .giveProxyCredentials }
            if [502, 503, 504].contains(status) { return .retryOrCheckProxy }
            return nil
        case .transport(let code, _):
            return Self.transportRemedy(curlCode: code)
        case .malformedResponse, .cancelled, .configuration:
            return nil
        }
    }

    /// Whether the server refused the credentials themselves (a bad, expired or revoked key or
    /// token), as opposed to a 401 `USER_UNAUTHORIZED` for a role the caller lacks: only the first is
    /// mended by a new token. Atlas says it with `UNEXPECTED_ERROR` ("You are not authorized for this
    /// resource."), with no errorCode, or with no envelope at all (a bearer `invalid_token` answer).
    var refusesCredentials: Bool {
        switch kind {
        case .api(401, let envelope): ["", "UNEXPECTED_ERROR", "INVALID_CLIENT"].contains(envelope.errorCode)
        case .httpStatus(401, _): true
        default: false
        }
    }

    private static func remedy(status: Int, errorCode: String, call: APICall?) -> Remedy? {
        let isWrite = call.map { $0.method != "GET" } ?? false
        switch (status, errorCode) {
        case (401, "INVALID_CLIENT"): return .checkServiceAccountSecret
        case (401, "NOT_ORG_GROUP_CREATOR"): return nil
        // Atlas's answer to a key or account without the needed role: the credentials were fine.
        case (401, "USER_UNAUTHORIZED") where isWrite: return .needsOrganizationOwner
        case (401, "USER_UNAUTHORIZED"): return .checkOrganizationAccess
        case (401, _): return .checkCredentials
        case (403, "IP_ADDRESS_NOT_ON_ACCESS_LIST"): return .addAddressToAccessList
        case (403, _) where isWrite: return .needsOrganizationOwner
        case (403, _): return .checkOrganizationAccess
        case (404, "USER_NOT_FOUND"): return .reloadUsers
        case (404, "RESOURCE_NOT_FOUND") where call?.path.hasPrefix("/orgs/") == true: return .checkOrganizationId
        case (429, _): return .waitForRateLimit
        default: return nil
        }
    }

    /// libcurl's codes that have one usual cause (see libcurl-errors(3)).
    private static func transportRemedy(curlCode: Int) -> Remedy? {
        switch curlCode {
        case 5: .checkProxyName
        case 6: .checkBaseURLName
        case 7: .checkBaseURLAndNetwork
        case 28: .allowForSlowLinkOrFirewall
        case 35: .checkTLSInterception
        case 60: .trustCertificateAuthority
        default: nil
        }
    }
}
