import ArgumentParser
import AtlasAPI

/// The flags that say which Atlas account and organization to use, shared by every command.
///
/// They take precedence over `MONGODB_ATLAS_*` variables, which take precedence over the profile.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: [.customShort("P"), .customLong("profile")],
        help: "Atlas CLI profile in config.toml (default: MONGODB_ATLAS_PROFILE, the only profile, or 'default').")
    var profile: String?

    @Option(name: .customLong("org"), help: "Organization id (24 hex digits); overrides MONGODB_ATLAS_ORG_ID.")
    var orgId: String?

    @Option(
        name: .customLong("base-url"),
        help: "Atlas base URL such as https://cloud.mongodb.com/; overrides MONGODB_ATLAS_OPS_MANAGER_URL.")
    var baseURL: String?

    @Option(name: .customLong("public-key"), help: "API public key (prefer MONGODB_ATLAS_PUBLIC_API_KEY).")
    var publicKey: String?

    @Option(
        name: .customLong("private-key"),
        help: "API private key; visible in the process list, so prefer MONGODB_ATLAS_PRIVATE_API_KEY.")
    var privateKey: String?

    @Option(name: .customLong("client-id"), help: "Service account client id (prefer MONGODB_ATLAS_CLIENT_ID).")
    var clientId: String?

    @Option(
        name: .customLong("client-secret"),
        help: "Service account secret; visible in the process list, so prefer MONGODB_ATLAS_CLIENT_SECRET.")
    var clientSecret: String?

    @Flag(
        name: .customLong("insecure-http"),
        help: "Allow a plain http:// base URL that is not loopback (credentials then travel in clear text).")
    var insecureHTTP = false

    var flags: ConfigurationFlags {
        ConfigurationFlags(
            profile: profile, orgId: orgId, baseURL: baseURL, publicKey: publicKey, privateKey: privateKey,
            clientId: clientId, clientSecret: clientSecret, insecureHTTP: insecureHTTP)
    }
}

/// `--write-method`: which call writes ACTIVE users' roles, for the TUI and `set` alike.
struct WriteOptions: ParsableArguments {
    @Option(
        name: .customLong("write-method"),
        help: "put (PUT …/roles, 2023-01-01) or patch (PATCH, 2025-02-19) for ACTIVE users; invitations use patch.")
    var method: RoleWriteMethod = .putRoles
}

/// `--write-method put|patch` parses straight into the client's enum (raw values `put`, `patch`).
extension RoleWriteMethod: ExpressibleByArgument {}

/// `--demo`: the bundled sandbox instead of an account, for the screen, `list` and `set` alike.
struct DemoOptions: ParsableArguments {
    @Flag(name: .customLong("demo"), help: "Run against a bundled sandbox organization on loopback; no account needed.")
    var isOn = false

    @Option(name: .customLong("demo-users"), help: "Users in the demo's first organization.")
    var users = 300

    func validate() throws {
        if users < 1 || users > 100_000 { throw ValidationError("--demo-users must be between 1 and 100000") }
    }
}
