import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Resolves the connection settings the way the Atlas CLI does: flags, then `MONGODB_ATLAS_*` (or `MCLI_*`)
/// environment variables, then the chosen profile of `config.toml`.
///
/// Pure: the environment and the parsed file are inputs, so every precedence case is testable without
/// touching the process environment or the disk. ``resolveFromDisk(flags:environment:)`` is the thin
/// impure wrapper the commands use.
///
/// ```swift
/// let config = try ConfigurationResolver.resolve(
///     flags: ConfigurationFlags(profile: "prod"), environment: ProcessInfo.processInfo.environment,
///     file: try AtlasCLIConfigFile.parse(text, path: path))
/// ```
enum ConfigurationResolver {
    static let defaultBaseURL = "https://cloud.mongodb.com"
    /// `service = "cloudgov"` profiles talk to Atlas for Government.
    static let governmentBaseURL = "https://cloud.mongodbgov.com"
    static let defaultProfileName = "default"

    /// Reads the config file from its usual place (when there is one) and resolves.
    static func resolveFromDisk(flags: ConfigurationFlags, environment: [String: String]) throws(ConfigurationError)
        -> ResolvedConfiguration
    {
        let path = AtlasCLIConfigFile.defaultPath(environment: environment)
        let file: AtlasCLIConfigFile?
        do {
            file = try path.flatMap { (path) throws(ConfigurationError) in try AtlasCLIConfigFile.load(path: path) }
        } catch {
            throw error.adding(
                warnings: earlyWarnings(flags: flags, env: AtlasCLIEnvironment(variables: environment), file: nil))
        }
        return try resolve(flags: flags, environment: environment, file: file, filePath: path)
    }

    /// Resolves every setting.
    ///
    /// - Parameters:
    ///   - file: the parsed config file, or nil when there is none.
    ///   - filePath: where the file was looked for, for messages when it is missing.
    /// - Throws: ``ConfigurationError`` naming the file, profile, key, flag or variable to fix, and
    ///   carrying the warnings that the configuration would have carried.
    static func resolve(
        flags: ConfigurationFlags, environment: [String: String], file: AtlasCLIConfigFile?, filePath: String? = nil
    ) throws(ConfigurationError) -> ResolvedConfiguration {
        let env = AtlasCLIEnvironment(variables: environment)
        // Found before anything can fail, so that a failure still reports them.
        let warnings = earlyWarnings(flags: flags, env: env, file: file)
        do {
            return try resolveSettings(
                flags: flags, env: env, file: file, fileLabel: file?.path ?? filePath ?? "the Atlas CLI config file",
                filePath: filePath, warnings: warnings)
        } catch {
            throw error.adding(warnings: warnings)
        }
    }

    /// What is worth a warning whether or not the rest resolves: ignored variables, a config file
    /// others can read that holds secrets, secrets given as flags.
    private static func earlyWarnings(flags: ConfigurationFlags, env: AtlasCLIEnvironment, file: AtlasCLIConfigFile?)
        -> [String]
    {
        var warnings: [String] = []
        if !env.ignoredCurrentNames.isEmpty {
            warnings.append(
                "MCLI_* variables are set, so these are ignored (as the Atlas CLI does): "
                    + env.ignoredCurrentNames.joined(separator: ", "))
        }
        if let warning = file.flatMap(permissionWarning) { warnings.append(warning) }
        if flags.privateKey != nil {
            warnings.append(
                "--private-key is visible to other users in the process list and stays in shell history; "
                    + "set \(env.name(for: "private_api_key")) instead")
        }
        if flags.clientSecret != nil {
            warnings.append(
                "--client-secret is visible to other users in the process list and stays in shell history; "
                    + "set \(env.name(for: "client_secret")) instead")
        }
        return warnings
    }

    private static func resolveSettings(
        flags: ConfigurationFlags, env: AtlasCLIEnvironment, file: AtlasCLIConfigFile?, fileLabel: String,
        filePath: String?, warnings: [String]
    ) throws(ConfigurationError) -> ResolvedConfiguration {
        let profileName = chooseProfile(flags: flags, env: env, file: file)
        let profile = file?.profiles[profileName.value]
        if profile == nil, profileName.origin != .builtIn {
            if let file {
                let known = file.profileNames.isEmpty ? "none" : file.profileNames.joined(separator: ", ")
                throw ConfigurationError(
                    "\(file.path): no profile '\(profileName.value)' (asked for by \(profileName.origin)); "
                        + "profiles in the file: \(known)")
            }
            throw ConfigurationError(
                "profile '\(profileName.value)' was asked for by \(profileName.origin), but \(fileLabel) does not exist"
            )
        }
        let layers = Layers(flags: flags, env: env, profile: profile, file: fileLabel, fileContents: file)

        let orgId = layers.pick("org_id", flag: flags.orgId, flagName: "--org")
        if let orgId, !isAtlasId(orgId.value) {
            throw ConfigurationError(
                "organization id '\(orgId.value)' from \(orgId.origin) is not 24 lowercase hexadecimal digits")
        }
        let baseURL = try resolveBaseURL(layers: layers, flags: flags)
        let credentials = try resolveCredentials(layers: layers, flags: flags, profileName: profileName.value)
        return ResolvedConfiguration(
            profile: profileName, configFilePath: file?.path ?? filePath, orgId: orgId, baseURL: baseURL,
            credentials: credentials, warnings: warnings)
    }

    /// `-P/--profile`, then `MONGODB_ATLAS_PROFILE`, then the only profile in the file, else `default`.
    /// Names are lowercased, as the Atlas CLI stores them: `-P Prod` is the profile `[prod]`.
    static func chooseProfile(flags: ConfigurationFlags, env: AtlasCLIEnvironment, file: AtlasCLIConfigFile?)
        -> ResolvedSetting<String>
    {
        if let name = flags.profile, !name.isEmpty {
            return ResolvedSetting(value: name.lowercased(), origin: .flag("--profile"))
        }
        if let setting = env.setting("profile") {
            return ResolvedSetting(value: setting.value.lowercased(), origin: setting.origin)
        }
        if let file, file.profiles.count == 1, let only = file.profiles.keys.first {
            return ResolvedSetting(value: only, origin: .onlyProfile(file: file.path))
        }
        return ResolvedSetting(value: defaultProfileName, origin: .builtIn)
    }

    /// `https://host/`, `https://host` and `https://host/api/atlas/v2/` all mean the same server.
    static func normalizeBaseURL(_ raw: String) -> String? {
        var text = raw.trimmingWhitespace()
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/api/atlas/v2") { text.removeLast("/api/atlas/v2".count) }
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else { return nil }
        return text
    }

    static func isAtlasId(_ text: String) -> Bool { AtlasID.isValid(text) }

    /// 127.0.0.0/8, ::1 and `localhost`: where plain http never leaves the machine.
    static func isLoopback(_ host: String) -> Bool {
        var host = Substring(host.lowercased())
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// A configured value as it may appear in a message: no user information, no control characters.
    static func shown(_ value: String) -> String {
        var text = value
        if let at = text.firstIndex(of: "@"), let colon = text.firstIndex(of: ":"),
            text[colon...].hasPrefix("://"), text.index(colon, offsetBy: 3) < at
        {
            text.replaceSubrange(text.index(colon, offsetBy: 3)..<at, with: "…")
        }
        return SafeText.sanitized(String(text.prefix(200)))
    }

    private static func permissionWarning(_ file: AtlasCLIConfigFile) -> String? {
        guard let mode = file.permissions, mode & 0o077 != 0 else { return nil }
        let holders = file.profileNames.compactMap { name -> String? in
            let keys = file.profiles[name]?.presentSecretKeys ?? []
            return keys.isEmpty ? nil : "profile '\(name)': \(keys.joined(separator: ", "))"
        }
        guard !holders.isEmpty else { return nil }
        return "\(file.path) is readable by other users (mode \(String(mode, radix: 8))) and holds secrets ("
            + holders.joined(separator: "; ") + "); run: chmod 600 \(file.path)"
    }

    private static func resolveBaseURL(layers: Layers, flags: ConfigurationFlags) throws(ConfigurationError)
        -> ResolvedSetting<String>
    {
        let chosen =
            layers.pick("ops_manager_url", flag: flags.baseURL, flagName: "--base-url")
            ?? layers.profile?.setting("base_url", file: layers.file)
        guard let chosen else {
            let service = layers.pick("service", flag: nil, flagName: nil)?.value
            let url = service == "cloudgov" ? governmentBaseURL : defaultBaseURL
            return ResolvedSetting(value: url, origin: .builtIn)
        }
        guard let normalized = normalizeBaseURL(chosen.value), let url = URL(string: normalized) else {
            throw ConfigurationError(
                "base URL '\(shown(chosen.value))' from \(chosen.origin) is not an http(s) URL such as "
                    + "https://cloud.mongodb.com/")
        }
        if url.user != nil || url.password != nil {
            throw ConfigurationError(
                "the base URL from \(chosen.origin) holds a user name or password; credentials belong in the "
                    + "profile or the MONGODB_ATLAS_* variables, never in the URL")
        }
        if url.scheme?.lowercased() == "http", !isLoopback(url.host ?? ""), !flags.insecureHTTP {
            throw ConfigurationError(
                "base URL \(shown(normalized)) from \(chosen.origin) would send the API key or token in clear "
                    + "text: use https://, or pass --insecure-http to insist")
        }
        return ResolvedSetting(value: normalized, origin: chosen.origin)
    }

    private static func resolveCredentials(layers: Layers, flags: ConfigurationFlags, profileName: String)
        throws(ConfigurationError) -> ResolvedCredentials
    {
        let kind = try credentialKind(layers: layers, flags: flags)
        let (firstKey, secondKey, firstFlag, secondFlag): (String, String, String, String) =
            switch kind {
            case .apiKeys: ("public_api_key", "private_api_key", "--public-key", "--private-key")
            default: ("client_id", "client_secret", "--client-id", "--client-secret")
            }
        let first = layers.pick(
            firstKey, flag: kind == .apiKeys ? flags.publicKey : flags.clientId, flagName: firstFlag)
        let second = layers.pick(
            secondKey, flag: kind == .apiKeys ? flags.privateKey : flags.clientSecret, flagName: secondFlag)
        if let first, let second {
            return kind == .apiKeys
                ? .apiKey(publicKey: first, privateKey: second)
                : .serviceAccount(clientId: first, clientSecret: second)
        }
        let env = layers.env
        let missing = [(firstKey, first), (secondKey, second)].filter { $0.1 == nil }.map(\.0)
        let variables = missing.map(env.name(for:)).joined(separator: " and ")
        let what = kind == .apiKeys ? "API key" : "service account"
        if let profile = layers.profile, let authType = profile.values["auth_type"],
            missing.allSatisfy({ (profile.values[$0] ?? "").isEmpty })
        {
            throw ConfigurationError(
                "\(layers.file), profile '\(profileName)': auth_type = \"\(authType)\" but "
                    + missing.joined(separator: " and ")
                    + " \(missing.count == 1 ? "is" : "are") not in the file: the Atlas CLI keeps them in the "
                    + "system keyring (service atlascli_\(profileName)), which atlas-roles does not read. "
                    + "Set \(variables) in the environment.")
        }
        let present = [first, second].compactMap { $0 }.map { "\($0.origin)" }
        let found = present.isEmpty ? "" : " (found only \(present.joined(separator: ", ")))"
        throw ConfigurationError(
            "incomplete \(what)\(found): set \(variables), or \(missing.joined(separator: " and ")) in profile "
                + "'\(profileName)' of \(layers.file)")
    }

    /// API keys or a service account: the most precedent layer that says decides.
    private static func credentialKind(layers: Layers, flags: ConfigurationFlags) throws(ConfigurationError)
        -> AtlasAuthType
    {
        let env = layers.env
        let flagKeys = flags.publicKey != nil || flags.privateKey != nil
        let flagAccount = flags.clientId != nil || flags.clientSecret != nil
        if flagKeys && flagAccount {
            throw ConfigurationError(
                "give either --public-key/--private-key or --client-id/--client-secret, not both")
        }
        if flagKeys { return .apiKeys }
        if flagAccount { return .serviceAccount }

        let profileAuth = try layers.profile?.setting("auth_type", file: layers.file).map {
            (setting) throws(ConfigurationError) in try authType(setting)
        }
        if let envAuth = try env.setting("auth_type").map({ (setting) throws(ConfigurationError) in
            try authType(setting)
        }) {
            return try usable(envAuth, layers: layers)
        }
        let envKeys = env.setting("public_api_key") != nil || env.setting("private_api_key") != nil
        let envAccount = env.setting("client_id") != nil || env.setting("client_secret") != nil
        if envKeys && envAccount {
            if let profileAuth, profileAuth.value == .apiKeys || profileAuth.value == .serviceAccount {
                return profileAuth.value
            }
            throw ConfigurationError(
                "both an API key (\(env.name(for: "public_api_key"))) and a service account "
                    + "(\(env.name(for: "client_id"))) are set; set \(env.name(for: "auth_type")) to api_keys or "
                    + "service_account to choose")
        }
        if envKeys { return .apiKeys }
        if envAccount { return .serviceAccount }

        if let profileAuth { return try usable(profileAuth, layers: layers) }
        if let profile = layers.profile {
            let keys =
                profile.setting("public_api_key", file: layers.file) != nil
                || profile.setting("private_api_key", file: layers.file) != nil
            let account =
                profile.setting("client_id", file: layers.file) != nil
                || profile.setting("client_secret", file: layers.file) != nil
            if keys && account {
                throw ConfigurationError(
                    "\(layers.file), profile '\(profile.name)': holds both an API key and a service account; "
                        + "set auth_type to api_keys or service_account")
            }
            if keys { return .apiKeys }
            if account { return .serviceAccount }
        }
        throw ConfigurationError(
            "no credentials in flags, environment or \(profileDescription(layers)): set "
                + "\(env.name(for: "public_api_key")) and \(env.name(for: "private_api_key")) (API key) or "
                + "\(env.name(for: "client_id")) and \(env.name(for: "client_secret")) (service account), or "
                + "choose an Atlas CLI profile with -P; or try --demo")
    }

    /// "profile 'prod' of FILE", or why no profile was read, for the no-credentials message.
    private static func profileDescription(_ layers: Layers) -> String {
        if let profile = layers.profile { return "profile '\(profile.name)' of \(layers.file)" }
        guard let file = layers.fileContents else { return "config file (\(layers.file) does not exist)" }
        let names = file.profileNames.isEmpty ? "none" : file.profileNames.joined(separator: ", ")
        return "\(file.path) (it has no profile '\(defaultProfileName)'; its profiles: \(names))"
    }

    private static func authType(_ setting: ResolvedSetting<String>) throws(ConfigurationError)
        -> ResolvedSetting<AtlasAuthType>
    {
        guard let type = AtlasAuthType(rawValue: setting.value) else {
            let allowed = AtlasAuthType.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(
                "\(setting.origin): unknown auth_type '\(setting.value)' (expected one of \(allowed))")
        }
        return ResolvedSetting(value: type, origin: setting.origin)
    }

    private static func usable(_ type: ResolvedSetting<AtlasAuthType>, layers: Layers) throws(ConfigurationError)
        -> AtlasAuthType
    {
        switch type.value {
        case .apiKeys, .serviceAccount:
            return type.value
        case .userAccount, .noAuth:
            let env = layers.env
            throw ConfigurationError(
                "\(type.origin): auth_type '\(type.value.rawValue)' is not supported: atlas-roles signs in with an "
                    + "API key (\(env.name(for: "public_api_key")), \(env.name(for: "private_api_key"))) or a "
                    + "service account (\(env.name(for: "client_id")), \(env.name(for: "client_secret")))")
        }
    }

    /// The three sources of a value, in precedence order.
    private struct Layers {
        var flags: ConfigurationFlags
        var env: AtlasCLIEnvironment
        var profile: AtlasCLIProfile?
        var file: String
        var fileContents: AtlasCLIConfigFile?

        func pick(_ key: String, flag: String?, flagName: String?) -> ResolvedSetting<String>? {
            if let flag, let flagName, !flag.isEmpty {
                return ResolvedSetting(value: flag, origin: .flag(flagName))
            }
            return env.setting(key) ?? profile?.setting(key, file: file)
        }
    }
}
