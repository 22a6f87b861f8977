#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Everything an ``AtlasClient`` needs: where Atlas is, who signs in, and how patient to be.
///
/// ```swift
/// var configuration = AtlasClientConfiguration(
///     baseURL: "https://cloud.mongodb.com",
///     credentials: .apiKey(publicKey: publicKey, privateKey: privateKey))
/// configuration.pageConcurrency = 4
/// let client = try AtlasClient(configuration: configuration)
/// ```
public struct AtlasClientConfiguration: Sendable {
    /// The server, such as `https://cloud.mongodb.com` (a trailing `/` or `/api/atlas/v2` is accepted).
    public var baseURL: String
    public var credentials: AtlasCredentials
    /// Seconds allowed to open a connection.
    public var connectTimeout: Double = 10
    /// Seconds allowed for one whole request, body included.
    public var requestTimeout: Double = 60
    /// Users asked for per page (`itemsPerPage`, 1...500).
    public var pageSize: Int = 500
    /// Pages fetched at once after the first. Twenty fetch the 19 remaining pages of a 10,000-user
    /// organization in one round (ten took two; each round costs a full round trip plus decoding);
    /// over HTTP/2 they are streams of one connection, over HTTP/1.1 they queue for the
    /// ``AtlasClient/maximumHTTP1Connections`` the client keeps.
    public var pageConcurrency: Int = 20
    public var retryPolicy: RetryPolicy = .standard
    /// The write the program uses for ACTIVE users until the server retires it.
    public var preferredWriteMethod: RoleWriteMethod = .putRoles
    /// The CAs that verify the server; by default what `SSL_CERT_FILE`, `CURL_CA_BUNDLE` and
    /// `SSL_CERT_DIR` name, else libcurl's own store (see ``CertificateTrust``).
    public var certificateTrust: CertificateTrust = .environment()
    /// The proxy calls go through; nil reads `HTTPS_PROXY`, `NO_PROXY` and the rest from the
    /// process's environment when the client starts (see ``ProxySettings``).
    public var proxy: ProxySettings?
    /// Ask for HTTP/2 over TLS (ALPN), as Atlas serves it; false keeps every connection HTTP/1.1.
    public var preferHTTP2: Bool = true
    /// Where the client keeps, between runs, what spares it round trips (mode 0600 files in a private
    /// directory): service-account tokens, the last Digest challenge an API key had accepted, and the
    /// size of each organization listed. Nil keeps them in memory only (the default: the program that
    /// embeds the client decides where its files live).
    public var cacheDirectory: String?
    /// A token is renewed this many seconds before it expires (at most a tenth of its lifetime).
    public var tokenRenewalMargin: Double = 60
    public var userAgent: String = "atlas-roles/\(AtlasClient.version)"

    public init(baseURL: String, credentials: AtlasCredentials) {
        self.baseURL = baseURL
        self.credentials = credentials
    }

    /// The base URL with no trailing slash and no API path: `https://cloud.mongodb.com`.
    func normalizedBaseURL() throws -> String {
        var url = baseURL.trimmingWhitespace()
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/api/atlas/v2") { url.removeLast("/api/atlas/v2".count) }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", components.host?.isEmpty == false
        else {
            throw AtlasError(.configuration("The base URL must be an http(s) URL such as https://cloud.mongodb.com"))
        }
        return url
    }
}
