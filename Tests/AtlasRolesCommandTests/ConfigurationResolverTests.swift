import Foundation
import Testing

@testable import atlas_roles

/// Configuration resolution: the Atlas CLI's names, precedence and profile rules, with no disk or process state.
@Suite struct ConfigurationResolverTests {
    static let orgA = "aaaaaaaaaaaaaaaaaaaaaaaa"
    static let orgB = "bbbbbbbbbbbbbbbbbbbbbbbb"
    static let orgC = "cccccccccccccccccccccccc"
    static let path = "/home/ann/.config/atlascli/config.toml"

    static let twoProfiles = """
        telemetry_enabled = true

        [default]
        org_id = "\(orgA)"
        public_api_key = "defpub"
        private_api_key = "defpriv"

        [prod]
        org_id = "\(orgB)"
        auth_type = "service_account"
        client_id = "mdb_sa_id_prod"
        client_secret = "mdb_sa_sk_prod"
        ops_manager_url = "https://cloud.example.com/"
        """

    func file(_ text: String, permissions: UInt16? = 0o600) throws -> AtlasCLIConfigFile {
        try AtlasCLIConfigFile.parse(text, path: Self.path, permissions: permissions)
    }

    func resolve(
        _ flags: ConfigurationFlags = ConfigurationFlags(), env: [String: String] = [:], text: String? = twoProfiles,
        permissions: UInt16? = 0o600
    ) throws -> ResolvedConfiguration {
        let parsed = try text.map { try file($0, permissions: permissions) }
        return try ConfigurationResolver.resolve(flags: flags, environment: env, file: parsed, filePath: Self.path)
    }

    func failure(
        _ flags: ConfigurationFlags = ConfigurationFlags(), env: [String: String] = [:], text: String? = twoProfiles
    ) -> String {
        do {
            _ = try resolve(flags, env: env, text: text)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    // MARK: Profile choice

    @Test func profileFlagBeatsEnvironment() throws {
        let config = try resolve(ConfigurationFlags(profile: "prod"), env: ["MONGODB_ATLAS_PROFILE": "default"])
        #expect(config.profile.value == "prod")
        #expect(config.profile.origin == .flag("--profile"))
        #expect(config.orgId?.value == Self.orgB)
    }

    /// The Atlas CLI lowercases profile names, in the file and when asked for.
    @Test func profileNamesAreLowercasedAsTheCLIDoes() throws {
        let mixedCase = Self.twoProfiles.replacingOccurrences(of: "[prod]", with: "[Prod]")
        let byFlag = try resolve(ConfigurationFlags(profile: "PROD"), text: mixedCase)
        #expect(byFlag.profile.value == "prod")
        #expect(byFlag.orgId?.value == Self.orgB)
        let byEnvironment = try resolve(env: ["MONGODB_ATLAS_PROFILE": "pRoD"], text: mixedCase)
        #expect(byEnvironment.orgId?.value == Self.orgB)
    }

    @Test func profileFromEnvironmentBeatsDefault() throws {
        let config = try resolve(env: ["MONGODB_ATLAS_PROFILE": "prod"])
        #expect(config.profile.value == "prod")
        #expect(config.profile.origin == .environment("MONGODB_ATLAS_PROFILE"))
    }

    @Test func theOnlyProfileIsChosenWhateverItsName() throws {
        let config = try resolve(
            text: "[work]\norg_id = \"\(Self.orgC)\"\npublic_api_key = \"p\"\nprivate_api_key = \"s\"\n")
        #expect(config.profile.value == "work")
        #expect(config.orgId?.value == Self.orgC)
    }

    @Test func severalProfilesFallBackToDefault() throws {
        let config = try resolve()
        #expect(config.profile.value == "default")
        #expect(config.orgId?.value == Self.orgA)
        #expect(
            config.credentials
                == .apiKey(
                    publicKey: ResolvedSetting(
                        value: "defpub", origin: .profile(file: Self.path, profile: "default", key: "public_api_key")),
                    privateKey: ResolvedSetting(
                        value: "defpriv", origin: .profile(file: Self.path, profile: "default", key: "private_api_key"))
                ))
    }

    @Test func missingImplicitDefaultProfileIsFineWithEnvironmentCredentials() throws {
        let config = try resolve(
            env: ["MONGODB_ATLAS_PUBLIC_API_KEY": "p", "MONGODB_ATLAS_PRIVATE_API_KEY": "s"],
            text: "[a]\nx = \"1\"\n[b]\ny = \"2\"\n")
        #expect(config.profile.value == "default")
        #expect(config.orgId == nil)
        #expect(config.baseURL.value == "https://cloud.mongodb.com")
    }

    @Test func unknownExplicitProfileNamesFileProfileAndChoices() {
        let message = failure(ConfigurationFlags(profile: "staging"))
        #expect(message.contains(Self.path))
        #expect(message.contains("'staging'"))
        #expect(message.contains("flag --profile"))
        #expect(message.contains("default, prod"))
    }

    @Test func explicitProfileWithoutAnyFileIsAnError() {
        let message = failure(env: ["MONGODB_ATLAS_PROFILE": "prod"], text: nil)
        #expect(message.contains("'prod'"))
        #expect(message.contains("does not exist"))
        #expect(message.contains(Self.path))
    }

    @Test func noFileAtAllWorksFromEnvironment() throws {
        let config = try resolve(
            env: [
                "MONGODB_ATLAS_CLIENT_ID": "id", "MONGODB_ATLAS_CLIENT_SECRET": "secret",
                "MONGODB_ATLAS_ORG_ID": Self.orgC,
            ], text: nil)
        #expect(config.orgId?.origin == .environment("MONGODB_ATLAS_ORG_ID"))
        guard case .serviceAccount(let id, let secret) = config.credentials else {
            Issue.record("expected a service account, got \(config.credentials)")
            return
        }
        #expect(id.value == "id")
        #expect(secret.value == "secret")
    }

    // MARK: Precedence of one key

    @Test func flagBeatsEnvironmentBeatsProfile() throws {
        let env = ["MONGODB_ATLAS_ORG_ID": Self.orgB]
        let fromFlag = try resolve(ConfigurationFlags(orgId: Self.orgC), env: env)
        #expect(fromFlag.orgId == ResolvedSetting(value: Self.orgC, origin: .flag("--org")))
        let fromEnv = try resolve(env: env)
        #expect(fromEnv.orgId == ResolvedSetting(value: Self.orgB, origin: .environment("MONGODB_ATLAS_ORG_ID")))
        let fromProfile = try resolve()
        #expect(
            fromProfile.orgId
                == ResolvedSetting(
                    value: Self.orgA, origin: .profile(file: Self.path, profile: "default", key: "org_id")))
    }

    @Test func emptyVariableCountsAsUnset() throws {
        let config = try resolve(env: ["MONGODB_ATLAS_ORG_ID": ""])
        #expect(config.orgId?.value == Self.orgA)
    }

    @Test func credentialsMergeKeyByKeyAcrossLayers() throws {
        let config = try resolve(env: ["MONGODB_ATLAS_PRIVATE_API_KEY": "envpriv"])
        guard case .apiKey(let publicKey, let privateKey) = config.credentials else {
            Issue.record("expected an API key")
            return
        }
        #expect(publicKey.value == "defpub")
        #expect(privateKey == ResolvedSetting(value: "envpriv", origin: .environment("MONGODB_ATLAS_PRIVATE_API_KEY")))
    }

    @Test func baseURLPrecedence() throws {
        let fromFlag = try resolve(
            ConfigurationFlags(profile: "prod", baseURL: "http://127.0.0.1:9000/"),
            env: ["MONGODB_ATLAS_OPS_MANAGER_URL": "https://env.example.com"])
        #expect(fromFlag.baseURL == ResolvedSetting(value: "http://127.0.0.1:9000", origin: .flag("--base-url")))
        let fromEnv = try resolve(
            ConfigurationFlags(profile: "prod"), env: ["MONGODB_ATLAS_OPS_MANAGER_URL": "https://env.example.com"])
        #expect(fromEnv.baseURL.value == "https://env.example.com")
        let fromProfile = try resolve(ConfigurationFlags(profile: "prod"))
        #expect(fromProfile.baseURL.value == "https://cloud.example.com")
        #expect(fromProfile.baseURL.origin == .profile(file: Self.path, profile: "prod", key: "ops_manager_url"))
    }

    @Test func hostileValuesInTheConfigAreNeverEchoedRaw() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try resolve(
                text: """
                    [default]
                    auth_type = "\\u001B]0;pwned\\u0007"
                    """)
        }
        #expect(error?.message.contains("\u{1B}") == false)
        #expect(error?.message.contains("\u{07}") == false)
        #expect(error?.message.contains("]0;pwned") == true, "\(error?.message ?? "")")
    }

    @Test func cleartextBeyondLoopbackAndPasswordsInTheURLAreRefused() throws {
        for loopback in ["http://127.0.0.1:8080", "http://127.8.9.10", "http://localhost:9000", "http://[::1]:80"] {
            #expect(throws: Never.self) { try resolve(ConfigurationFlags(profile: "prod", baseURL: loopback)) }
        }
        let cleartext = #expect(throws: ConfigurationError.self) {
            try resolve(ConfigurationFlags(profile: "prod", baseURL: "http://atlas.internal.example.com/"))
        }
        #expect(cleartext?.message.contains("--insecure-http") == true)
        let insisted = try resolve(
            ConfigurationFlags(profile: "prod", baseURL: "http://atlas.internal.example.com/", insecureHTTP: true))
        #expect(insisted.baseURL.value == "http://atlas.internal.example.com")
        // A password in the URL is refused, and never repeated.
        let userinfo = #expect(throws: ConfigurationError.self) {
            try resolve(env: ["MONGODB_ATLAS_OPS_MANAGER_URL": "https://bob:s3cret@cloud.example.com/"])
        }
        #expect(userinfo?.message.contains("s3cret") == false)
        let hostile = #expect(throws: ConfigurationError.self) {
            try resolve(ConfigurationFlags(profile: "prod", baseURL: "ftp://bob:s3cret@x/\u{1B}]0;pwned\u{07}"))
        }
        #expect(hostile?.message.contains("s3cret") == false)
        #expect(hostile?.message.contains("\u{1B}") == false)
    }

    // MARK: Legacy MCLI_ names

    @Test func anyMCLIVariableSwitchesToLegacyNames() throws {
        let config = try resolve(
            env: [
                "MCLI_PROFILE": "prod", "MCLI_ORG_ID": Self.orgC,
                "MONGODB_ATLAS_ORG_ID": Self.orgA, "MONGODB_ATLAS_PROFILE": "default",
            ])
        #expect(config.profile == ResolvedSetting(value: "prod", origin: .environment("MCLI_PROFILE")))
        #expect(config.orgId == ResolvedSetting(value: Self.orgC, origin: .environment("MCLI_ORG_ID")))
        #expect(config.warnings.contains { $0.contains("MONGODB_ATLAS_ORG_ID") && $0.contains("ignored") })
    }

    @Test func legacyNamesCarryCredentials() throws {
        let config = try resolve(
            env: [
                "MCLI_PUBLIC_API_KEY": "lp", "MCLI_PRIVATE_API_KEY": "ls", "MCLI_OPS_MANAGER_URL": "https://x.example/",
            ],
            text: nil)
        #expect(config.baseURL.value == "https://x.example")
        guard case .apiKey(let publicKey, _) = config.credentials else {
            Issue.record("expected an API key")
            return
        }
        #expect(publicKey.origin == .environment("MCLI_PUBLIC_API_KEY"))
    }

    @Test func withoutMCLIVariablesTheyAreNotRead() throws {
        let config = try resolve(env: ["MONGODB_ATLAS_ORG_ID": Self.orgC])
        #expect(config.orgId?.value == Self.orgC)
        #expect(config.warnings.isEmpty)
    }

    // MARK: Base URL forms

    @Test(arguments: [
        ("https://cloud.mongodb.com/", "https://cloud.mongodb.com"),
        ("https://cloud.mongodb.com", "https://cloud.mongodb.com"),
        ("https://cloud.mongodb.com/api/atlas/v2/", "https://cloud.mongodb.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("https://ops.example.com/mms/", "https://ops.example.com/mms"),
    ])
    func baseURLIsNormalized(raw: String, expected: String) {
        #expect(ConfigurationResolver.normalizeBaseURL(raw) == expected)
    }

    @Test func baseURLAliasIsReadFromTheFileOnly() throws {
        let text = "[p]\nbase_url = \"https://alias.example.com/\"\npublic_api_key = \"a\"\nprivate_api_key = \"b\"\n"
        let config = try resolve(text: text)
        #expect(config.baseURL.value == "https://alias.example.com")
        #expect(config.baseURL.origin == .profile(file: Self.path, profile: "p", key: "base_url"))
        let both = text + "ops_manager_url = \"https://main.example.com\"\n"
        #expect(try resolve(text: both).baseURL.value == "https://main.example.com")
    }

    @Test func governmentServiceDefaultsToItsOwnURL() throws {
        let config = try resolve(
            text: "[gov]\nservice = \"cloudgov\"\npublic_api_key = \"a\"\nprivate_api_key = \"b\"\n")
        #expect(config.baseURL.value == "https://cloud.mongodbgov.com")
    }

    @Test func badBaseURLNamesItsOrigin() {
        let message = failure(env: ["MONGODB_ATLAS_OPS_MANAGER_URL": "cloud.mongodb.com"])
        #expect(message.contains("MONGODB_ATLAS_OPS_MANAGER_URL"))
        #expect(message.contains("cloud.mongodb.com"))
    }

    @Test func badOrgIdNamesFileProfileAndKey() {
        let message = failure(
            text: "[default]\norg_id = \"not-an-id\"\npublic_api_key = \"a\"\nprivate_api_key = \"b\"\n")
        #expect(message.contains(Self.path))
        #expect(message.contains("profile 'default'"))
        #expect(message.contains("'org_id'"))
        #expect(message.contains("not-an-id"))
    }

    // MARK: Authentication types

    @Test func authTypeChoosesServiceAccountEvenWhenKeysArePresent() throws {
        let text = """
            [p]
            auth_type = "service_account"
            public_api_key = "pub"
            private_api_key = "priv"
            client_id = "cid"
            client_secret = "csecret"
            """
        guard case .serviceAccount(let id, _) = try resolve(text: text).credentials else {
            Issue.record("auth_type should have chosen the service account")
            return
        }
        #expect(id.value == "cid")
        let keysText = text.replacingOccurrences(of: "service_account", with: "api_keys")
        guard case .apiKey = try resolve(text: keysText).credentials else {
            Issue.record("auth_type should have chosen the API key")
            return
        }
    }

    @Test func presentCredentialsDecideWithoutAuthType() throws {
        guard case .serviceAccount = try resolve(text: "[p]\nclient_id = \"a\"\nclient_secret = \"b\"\n").credentials
        else {
            Issue.record("expected a service account")
            return
        }
        guard case .apiKey = try resolve(text: "[p]\npublic_api_key = \"a\"\nprivate_api_key = \"b\"\n").credentials
        else {
            Issue.record("expected an API key")
            return
        }
    }

    @Test func environmentCredentialsOverrideTheProfilesAuthType() throws {
        let config = try resolve(
            ConfigurationFlags(profile: "prod"),
            env: ["MONGODB_ATLAS_PUBLIC_API_KEY": "envpub", "MONGODB_ATLAS_PRIVATE_API_KEY": "envpriv"])
        guard case .apiKey(let publicKey, _) = config.credentials else {
            Issue.record("environment API key should win over the profile's service account")
            return
        }
        #expect(publicKey.value == "envpub")
    }

    @Test func flagCredentialsWinAndSecretFlagsAreDiscouraged() throws {
        let config = try resolve(ConfigurationFlags(clientId: "fid", clientSecret: "fsecret"))
        guard case .serviceAccount(let id, let secret) = config.credentials else {
            Issue.record("expected the flags' service account")
            return
        }
        #expect(id.origin == .flag("--client-id"))
        #expect(secret.value == "fsecret")
        #expect(config.secrets == ["fsecret"])
        #expect(
            config.warnings.contains { $0.contains("--client-secret") && $0.contains("MONGODB_ATLAS_CLIENT_SECRET") })
    }

    /// Atlas ids are lowercase, and the message says so: the check and its wording agree.
    @Test func anOrganizationIdInUppercaseIsRefusedAsTheMessageSays() throws {
        for typed in ["AAAAAAAAAAAAAAAAAAAAAAAA", "aaaaaaaaaaaaaaaaaaaaaaaA"] {
            let message = failure(ConfigurationFlags(orgId: typed))
            #expect(message.contains("'\(typed)' from flag --org is not 24 lowercase hexadecimal digits"), "\(message)")
        }
        #expect(try resolve(ConfigurationFlags(orgId: Self.orgC)).orgId?.value == Self.orgC)
    }

    @Test func bothCredentialKindsOnFlagsIsAnError() {
        let message = failure(ConfigurationFlags(publicKey: "a", clientId: "b"))
        #expect(message.contains("--public-key"))
        #expect(message.contains("--client-id"))
    }

    @Test func userAccountIsRefusedWithTheVariablesToSet() {
        let message = failure(text: "[p]\nauth_type = \"user_account\"\naccess_token = \"t\"\n")
        #expect(message.contains("user_account"))
        #expect(message.contains("MONGODB_ATLAS_PUBLIC_API_KEY"))
        #expect(message.contains("MONGODB_ATLAS_CLIENT_ID"))
    }

    @Test func unknownAuthTypeNamesTheKey() {
        let message = failure(text: "[p]\nauth_type = \"magic\"\n")
        #expect(message.contains("'auth_type'"))
        #expect(message.contains("magic"))
        #expect(message.contains("profile 'p'"))
    }

    @Test func noCredentialsAnywhereSaysWhatToSet() {
        let message = failure(text: nil)
        #expect(message.contains("MONGODB_ATLAS_PUBLIC_API_KEY"))
        #expect(message.contains("MONGODB_ATLAS_CLIENT_SECRET"))
    }

    @Test func halfAnAPIKeyNamesTheMissingHalf() {
        let message = failure(env: ["MONGODB_ATLAS_PUBLIC_API_KEY": "p"], text: nil)
        #expect(message.contains("MONGODB_ATLAS_PRIVATE_API_KEY"))
        #expect(message.contains("incomplete API key"))
    }

    // MARK: Keyring-only profiles

    @Test func keyringOnlyAPIKeyProfileNamesTheVariables() {
        let message = failure(
            ConfigurationFlags(profile: "prod"),
            text: "[prod]\norg_id = \"\(Self.orgB)\"\nauth_type = \"api_keys\"\n")
        #expect(message.contains("keyring"))
        #expect(message.contains("atlascli_prod"))
        #expect(message.contains("MONGODB_ATLAS_PUBLIC_API_KEY"))
        #expect(message.contains("MONGODB_ATLAS_PRIVATE_API_KEY"))
        #expect(message.contains(Self.path))
    }

    @Test func keyringOnlyServiceAccountProfileUsesLegacyNamesWhenInForce() {
        let message = failure(
            env: ["MCLI_PROFILE": "sa"], text: "[sa]\nauth_type = \"service_account\"\n[other]\nx = \"1\"\n")
        #expect(message.contains("MCLI_CLIENT_ID"))
        #expect(message.contains("MCLI_CLIENT_SECRET"))
        #expect(message.contains("atlascli_sa"))
    }

    @Test func keyringOnlyProfileWorksOnceTheVariablesAreSet() throws {
        let config = try resolve(
            env: ["MONGODB_ATLAS_CLIENT_ID": "id", "MONGODB_ATLAS_CLIENT_SECRET": "s"],
            text: "[prod]\norg_id = \"\(Self.orgB)\"\nauth_type = \"service_account\"\n")
        #expect(config.orgId?.value == Self.orgB)
        guard case .serviceAccount = config.credentials else {
            Issue.record("expected a service account")
            return
        }
    }

    // MARK: The file itself

    @Test func malformedTOMLNamesFileAndLine() {
        let message = failure(text: "[default]\norg_id = \"\(Self.orgA)\"\npublic_api_key = \n")
        #expect(message.contains(Self.path))
        #expect(message.contains("line 3"))
    }

    @Test func wrongTypeNamesFileProfileAndKey() {
        let message = failure(text: "[default]\norg_id = 42\n")
        #expect(message.contains(Self.path))
        #expect(message.contains("profile 'default'"))
        #expect(message.contains("key 'org_id'"))
        #expect(message.contains("integer"))
    }

    @Test func readableFileWithSecretsWarns() throws {
        let config = try resolve(text: Self.twoProfiles, permissions: 0o644)
        let warning = try #require(config.warnings.first { $0.contains("chmod 600") })
        #expect(warning.contains("644"))
        #expect(warning.contains(Self.path))
        #expect(warning.contains("private_api_key"))
        #expect(!warning.contains("defpriv"))
    }

    @Test func privateFileOrFileWithoutSecretsDoesNotWarn() throws {
        #expect(try resolve(text: Self.twoProfiles, permissions: 0o600).warnings.isEmpty)
        let noSecrets = try resolve(
            env: ["MONGODB_ATLAS_PUBLIC_API_KEY": "a", "MONGODB_ATLAS_PRIVATE_API_KEY": "b"],
            text: "[p]\norg_id = \"\(Self.orgA)\"\n", permissions: 0o644)
        #expect(noSecrets.warnings.isEmpty)
    }

    @Test func defaultPathFollowsXDG() {
        #expect(
            AtlasCLIConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/a"])
                == "/x/cfg/atlascli/config.toml")
        #expect(
            AtlasCLIConfigFile.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.config/atlascli/config.toml")
        // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
        #expect(
            AtlasCLIConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/home/a"])
                == "/home/a/.config/atlascli/config.toml")
        #expect(AtlasCLIConfigFile.defaultPath(environment: [:]) == nil)
    }

    @Test func loadingFromDiskReadsPermissionsAndMissingFileIsNil() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        let atlascli = directory.appendingPathComponent("atlascli")
        try FileManager.default.createDirectory(at: atlascli, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let env = ["XDG_CONFIG_HOME": directory.path, "MONGODB_ATLAS_PROFILE": "prod"]
        #expect(throws: ConfigurationError.self) {
            try ConfigurationResolver.resolveFromDisk(flags: ConfigurationFlags(), environment: env)
        }
        let path = atlascli.appendingPathComponent("config.toml").path
        try Self.twoProfiles.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let config = try ConfigurationResolver.resolveFromDisk(flags: ConfigurationFlags(), environment: env)
        #expect(config.orgId?.value == Self.orgB)
        #expect(config.configFilePath == path)
        #expect(config.warnings.contains { $0.contains("640") })
    }
}
