/// The step that usually follows an error, as a cause a front end can word: AtlasAPI knows what the
/// server and libcurl said, not which flags, settings or panes a program offers to fix it.
///
/// ```swift
/// if error.remedy == .addAddressToAccessList { print("add this machine's address to the key's access list") }
/// ```
public enum Remedy: CaseIterable, Hashable, Sendable {
    /// 401: the API key pair or the service account was refused (also a deleted or disabled key).
    case checkCredentials
    /// 401 `INVALID_CLIENT`: the service account's client id or secret was refused.
    case checkServiceAccountSecret
    /// 403 `IP_ADDRESS_NOT_ON_ACCESS_LIST`: this machine's address is not on the key's access list.
    case addAddressToAccessList
    /// 403 on a write: the key may read but changing organization roles needs Organization Owner.
    case needsOrganizationOwner
    /// 403 on a read: the key has no access to this organization (a wrong id, or the key's roles).
    case checkOrganizationAccess
    /// 404 `RESOURCE_NOT_FOUND` under `/orgs/`: no such organization for this key.
    case checkOrganizationId
    /// 404 `USER_NOT_FOUND`: the user left the organization since the list was loaded.
    case reloadUsers
    /// 429 after the retries: Atlas's rate limit held.
    case waitForRateLimit
    /// 407: the proxy wants credentials.
    case giveProxyCredentials
    /// 502, 503 or 504 without an Atlas envelope: a proxy or load balancer answered.
    case retryOrCheckProxy
    /// curl 5: the proxy's name did not resolve.
    case checkProxyName
    /// curl 6: the server's name did not resolve.
    case checkBaseURLName
    /// curl 7: nothing answered at the address.
    case checkBaseURLAndNetwork
    /// curl 28: no answer in time.
    case allowForSlowLinkOrFirewall
    /// curl 35: the TLS handshake failed (a TLS-intercepting proxy, an old TLS version).
    case checkTLSInterception
    /// curl 60: the server's certificate is not trusted here.
    case trustCertificateAuthority
}
