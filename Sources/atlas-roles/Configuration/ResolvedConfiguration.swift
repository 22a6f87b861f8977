/// Everything a command needs to reach Atlas, resolved from flags, environment and profile.
struct ResolvedConfiguration: Hashable, Sendable {
    /// The profile whose file values were used (it need not exist in the file).
    var profile: ResolvedSetting<String>
    /// The config file that was consulted, when there was one.
    var configFilePath: String?
    /// The organization, or nil when none is configured (the TUI then offers the organization picker).
    var orgId: ResolvedSetting<String>?
    /// The base URL without a trailing slash and without `/api/atlas/v2` (`https://cloud.mongodb.com`).
    var baseURL: ResolvedSetting<String>
    var credentials: ResolvedCredentials
    /// Things worth saying on standard error that do not stop the program.
    var warnings: [String]

    /// Every secret value, so the log handler can redact them wherever they appear.
    var secrets: [String] { credentials.secrets }
}

/// How the program authenticates: a programmatic API key (HTTP Digest) or a service account (OAuth).
enum ResolvedCredentials: Hashable, Sendable, CustomStringConvertible {
    case apiKey(publicKey: ResolvedSetting<String>, privateKey: ResolvedSetting<String>)
    case serviceAccount(clientId: ResolvedSetting<String>, clientSecret: ResolvedSetting<String>)

    var secrets: [String] {
        switch self {
        case .apiKey(_, let privateKey): [privateKey.value]
        case .serviceAccount(_, let clientSecret): [clientSecret.value]
        }
    }

    /// Names the kind and the public half only: this text goes to logs.
    var description: String {
        switch self {
        case .apiKey(let publicKey, let privateKey):
            "API key \(publicKey.value) (public key from \(publicKey.origin), private key from \(privateKey.origin))"
        case .serviceAccount(let clientId, let clientSecret):
            "service account \(clientId.value) (client id from \(clientId.origin), secret from \(clientSecret.origin))"
        }
    }
}

/// The Atlas CLI's `auth_type` values.
enum AtlasAuthType: String, Hashable, Sendable, CaseIterable {
    case apiKeys = "api_keys"
    case serviceAccount = "service_account"
    case userAccount = "user_account"
    case noAuth = "no_auth"
}

/// The values given on the command line, before any resolution.
struct ConfigurationFlags: Hashable, Sendable {
    var profile: String?
    var orgId: String?
    var baseURL: String?
    var publicKey: String?
    var privateKey: String?
    var clientId: String?
    var clientSecret: String?
    /// `--insecure-http`: a plain http:// base URL beyond loopback is allowed.
    var insecureHTTP: Bool

    init(
        profile: String? = nil, orgId: String? = nil, baseURL: String? = nil, publicKey: String? = nil,
        privateKey: String? = nil, clientId: String? = nil, clientSecret: String? = nil, insecureHTTP: Bool = false
    ) {
        self.insecureHTTP = insecureHTTP
        self.profile = profile
        self.orgId = orgId
        self.baseURL = baseURL
        self.publicKey = publicKey
        self.privateKey = privateKey
        self.clientId = clientId
        self.clientSecret = clientSecret
    }
}
