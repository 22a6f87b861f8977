import AtlasAPI
import BuildInfo
import RoleEditorRuntime

/// Turns a resolved configuration into the libcurl ``AtlasClient``'s configuration.
enum ServiceFactory {
    /// The client configuration for `configuration`; the service-account token cache follows the
    /// command's environment (`$XDG_CACHE_HOME/atlas-roles`), like every other file this program keeps.
    static func clientConfiguration(
        _ configuration: ResolvedConfiguration, writeMethod: RoleWriteMethod, environment: [String: String]
    ) -> AtlasClientConfiguration {
        let credentials: AtlasCredentials =
            switch configuration.credentials {
            case .apiKey(let publicKey, let privateKey):
                .apiKey(publicKey: publicKey.value, privateKey: privateKey.value)
            case .serviceAccount(let clientId, let clientSecret):
                .serviceAccount(clientId: clientId.value, clientSecret: clientSecret.value)
            }
        var client = AtlasClientConfiguration(baseURL: configuration.baseURL.value, credentials: credentials)
        client.preferredWriteMethod = writeMethod
        client.userAgent = "atlas-roles/\(BuildInfo.version)"
        client.cacheDirectory = AppDirectories(environment: environment).cache
        client.certificateTrust = .environment(environment)
        client.proxy = .environment(environment, baseURL: configuration.baseURL.value)
        return client
    }

    /// The production service: libcurl, Digest or OAuth.
    @Sendable static func makeClient(_ configuration: AtlasClientConfiguration) throws -> any AtlasService {
        try AtlasClient(configuration: configuration)
    }
}
