/// What the client signs in with: a programmatic API key (HTTP Digest) or a service account (OAuth).
///
/// Its descriptions and mirror never show the private key or the client secret, so printing a
/// configuration, or dumping it in a debugger, cannot leak them.
///
/// ```swift
/// let credentials = AtlasCredentials.apiKey(publicKey: "abcdefgh", privateKey: privateKey)
/// ```
public enum AtlasCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// A programmatic API key: the public key is the Digest user name, the private key its password.
    case apiKey(publicKey: String, privateKey: String)
    /// A service account: OAuth 2.0 client credentials exchanged for a bearer token.
    case serviceAccount(clientId: String, clientSecret: String)

    /// The part that identifies the account without proving it (public key or client id).
    public var identity: String {
        switch self {
        case .apiKey(let publicKey, _): publicKey
        case .serviceAccount(let clientId, _): clientId
        }
    }

    /// The secret half, for the redactor that scrubs it from any text the client produces.
    var secret: String {
        switch self {
        case .apiKey(_, let privateKey): privateKey
        case .serviceAccount(_, let clientSecret): clientSecret
        }
    }

    public var description: String {
        switch self {
        case .apiKey(let publicKey, _): "API key \(publicKey) (private key hidden)"
        case .serviceAccount(let clientId, _): "service account \(clientId) (secret hidden)"
        }
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["credentials": description]) }
}
