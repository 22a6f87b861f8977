/// The secrets a sandbox accepts: an owner API key, a member-only API key and a service account.
public struct SandboxCredentials: Sendable, Equatable {
    /// An Atlas programmatic API key, used with HTTP Digest (username = public key).
    public struct APIKey: Sendable, Equatable {
        /// The Digest username.
        public var publicKey: String
        /// The Digest password.
        public var privateKey: String

        /// Creates a key pair.
        public init(publicKey: String, privateKey: String) {
            self.publicKey = publicKey
            self.privateKey = privateKey
        }
    }

    /// An Atlas service account, used with OAuth 2.0 client credentials.
    public struct ServiceAccount: Sendable, Equatable {
        /// The OAuth client id (`mdb_sa_id_...`).
        public var clientId: String
        /// The OAuth client secret (`mdb_sa_sk_...`).
        public var clientSecret: String

        /// Creates a service account.
        public init(clientId: String, clientSecret: String) {
            self.clientId = clientId
            self.clientSecret = clientSecret
        }
    }

    /// A key with the Organization Owner role in every generated organization.
    public var apiKey: APIKey
    /// A key with only Organization Member: reads work, writes answer 403.
    public var memberOnlyApiKey: APIKey
    /// A service account with the Organization Owner role.
    public var serviceAccount: ServiceAccount

    /// Creates a credential set.
    public init(apiKey: APIKey, memberOnlyApiKey: APIKey, serviceAccount: ServiceAccount) {
        self.apiKey = apiKey
        self.memberOnlyApiKey = memberOnlyApiKey
        self.serviceAccount = serviceAccount
    }

    /// Fresh random credentials shaped like Atlas's (8-letter public key, UUID-shaped private key).
    public static func random() -> SandboxCredentials {
        var generator = SystemRandomNumberGenerator()
        func letters(_ count: Int) -> String {
            let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
            return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        }
        func hex(_ count: Int) -> String {
            String((0..<count).map { _ in Array("0123456789abcdef")[Int.random(in: 0..<16, using: &generator)] })
        }
        func uuidShaped() -> String {
            "\(hex(8))-\(hex(4))-\(hex(4))-\(hex(4))-\(hex(12))"
        }
        return SandboxCredentials(
            apiKey: APIKey(publicKey: letters(8), privateKey: uuidShaped()),
            memberOnlyApiKey: APIKey(publicKey: letters(8), privateKey: uuidShaped()),
            serviceAccount: ServiceAccount(clientId: "mdb_sa_id_\(hex(24))", clientSecret: "mdb_sa_sk_\(hex(40))")
        )
    }
}
