extension AtlasError {
    /// What a person can do about this error, when the error says enough to tell; nil otherwise.
    ///
    /// Shown under the error's own lines (never instead of them): the server's words come first, this
    /// is the step that usually follows. Only codes and statuses Atlas documents are interpreted.
    public var hint: String? {
        switch kind {
        case .api(let status, let envelope):
            return Self.hint(status: status, errorCode: envelope.errorCode, call: call)
        case .httpStatus(let status, _):
            if status == 407 { return "the proxy asks for credentials: put them in HTTPS_PROXY (user:password@host)" }
            if [502, 503, 504].contains(status) {
                return "a proxy or load balancer answered instead of Atlas: try again, or check HTTPS_PROXY"
            }
            return nil
        case .transport(let code, _):
            return Self.transportHint(curlCode: code)
        case .malformedResponse, .cancelled, .configuration:
            return nil
        }
    }

    private static func hint(status: Int, errorCode: String, call: APICall?) -> String? {
        let isWrite = call.map { $0.method != "GET" } ?? false
        switch (status, errorCode) {
        case (401, "INVALID_CLIENT"):
            return "the service account's client id or secret was refused: check them in the profile or "
                + "MONGODB_ATLAS_CLIENT_ID / MONGODB_ATLAS_CLIENT_SECRET"
        case (401, "NOT_ORG_GROUP_CREATOR"):
            return nil
        case (401, _):
            return "the credentials were refused: check the API key pair (public and private key) or the "
                + "service account of the profile in use; a deleted or disabled key answers this way too"
        case (403, "IP_ADDRESS_NOT_ON_ACCESS_LIST"):
            return "this machine's IP address is not on the access list of the API key or service account: "
                + "add it in Atlas (Organization Access Manager → Applications) or run from an allowed address"
        case (403, _) where isWrite:
            return "the key may read but not change roles here: changing organization roles needs the "
                + "Organization Owner role"
        case (403, _):
            return "the key has no access to this organization: check the organization id and the key's roles"
        case (404, "USER_NOT_FOUND"):
            return "the user is no longer in the organization (removed since the list was loaded): reload it"
        case (404, "RESOURCE_NOT_FOUND") where call?.path.hasPrefix("/orgs/") == true:
            return "no such organization for this key: check the organization id (--org-id, org_id)"
        case (429, _):
            return "Atlas's rate limit held after the retries: wait a minute and try again"
        default:
            return nil
        }
    }

    /// libcurl's codes that have one usual cause (see libcurl-errors(3)).
    private static func transportHint(curlCode: Int) -> String? {
        switch curlCode {
        case 5: "the proxy's name did not resolve: check HTTPS_PROXY"
        case 6: "the server's name did not resolve: check the base URL (ops_manager_url) and DNS"
        case 7: "nothing answered at that address: check the base URL, the network, or HTTPS_PROXY"
        case 28: "the server did not answer in time: a slow link or a firewall dropping packets"
        case 35: "the TLS handshake failed: a proxy intercepting TLS, or an old TLS version"
        case 60:
            "the server's certificate is not trusted here: a TLS-inspecting proxy's CA must be in the "
                + "system store (update-ca-certificates)"
        default: nil
        }
    }
}
