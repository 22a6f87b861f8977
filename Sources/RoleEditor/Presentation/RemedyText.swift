import AtlasAPI

/// The words for a ``Remedy``, shared by the screen and the `list` and `set` commands: they name this
/// program's real flags (`--org`, `--base-url`), the Atlas CLI profile's keys and the
/// `MONGODB_ATLAS_*` variables, so every setting a sentence names is one a person can change.
public enum RemedyText {
    /// One line, lower case, without a final period: it follows "hint: ".
    public static func sentence(_ remedy: Remedy) -> String {
        switch remedy {
        case .checkCredentials:
            "the credentials were refused: check the API key pair (public and private key) or the service "
                + "account of the profile in use (--profile); a deleted or disabled key answers this way too"
        case .checkServiceAccountSecret:
            "the service account's client id or secret was refused: check them in the profile (client_id, "
                + "client_secret) or MONGODB_ATLAS_CLIENT_ID / MONGODB_ATLAS_CLIENT_SECRET"
        case .addAddressToAccessList:
            "this machine's IP address is not on the access list of the API key or service account: "
                + "add it in Atlas (Organization Access Manager → Applications) or run from an allowed address"
        case .needsOrganizationOwner:
            "the key may read but not change roles here: changing organization roles needs the "
                + "Organization Owner role"
        case .checkOrganizationAccess:
            "the key has no access to this organization: check the organization id (--org) and the key's roles"
        case .checkOrganizationId:
            "no such organization for this key: check the organization id (--org, MONGODB_ATLAS_ORG_ID or the "
                + "profile's org_id)"
        case .reloadUsers:
            "the user is no longer in the organization (removed since the list was loaded): reload it"
        case .waitForRateLimit:
            "Atlas's rate limit held after the retries: wait a minute and try again"
        case .giveProxyCredentials:
            "the proxy asks for credentials: put them in HTTPS_PROXY (user:password@host)"
        case .retryOrCheckProxy:
            "a proxy or load balancer answered instead of Atlas: try again, or check HTTPS_PROXY"
        case .checkProxyName:
            "the proxy's name did not resolve: check HTTPS_PROXY"
        case .checkBaseURLName:
            "the server's name did not resolve: check the base URL (--base-url, ops_manager_url) and DNS"
        case .checkBaseURLAndNetwork:
            "nothing answered at that address: check the base URL (--base-url), the network, or HTTPS_PROXY"
        case .allowForSlowLinkOrFirewall:
            "the server did not answer in time: a slow link or a firewall dropping packets"
        case .checkTLSInterception:
            "the TLS handshake failed: a proxy intercepting TLS, or an old TLS version"
        case .trustCertificateAuthority:
            "the server's certificate is not trusted here: a TLS-inspecting proxy's CA must be in the "
                + "system store (update-ca-certificates)"
        }
    }
}
