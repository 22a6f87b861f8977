/// The Atlas CLI's environment variables: `MONGODB_ATLAS_` plus the config key in capitals, or the legacy
/// `MCLI_` names instead when any `MCLI_` variable is set (the CLI's own rule).
struct AtlasCLIEnvironment: Hashable, Sendable {
    static let currentPrefix = "MONGODB_ATLAS_"
    static let legacyPrefix = "MCLI_"

    /// The whole process environment (or a test's stand-in).
    var variables: [String: String]

    /// True when the legacy `MCLI_*` names are the ones read.
    var usesLegacyNames: Bool { variables.keys.contains { $0.hasPrefix(Self.legacyPrefix) } }

    /// The prefix in force.
    var prefix: String { usesLegacyNames ? Self.legacyPrefix : Self.currentPrefix }

    /// The variable name for a config key: `org_id` → `MONGODB_ATLAS_ORG_ID`.
    func name(for key: String) -> String { prefix + key.uppercased() }

    /// A non-empty value for a config key, with its origin; an empty variable counts as unset, as
    /// `MONGODB_ATLAS_ORG_ID= atlas-roles` is the usual way to switch one off.
    func setting(_ key: String) -> ResolvedSetting<String>? {
        let name = name(for: key)
        guard let value = variables[name], !value.isEmpty else { return nil }
        return ResolvedSetting(value: value, origin: .environment(name))
    }

    /// `MONGODB_ATLAS_*` variables being ignored because legacy names are in force, for a warning.
    var ignoredCurrentNames: [String] {
        guard usesLegacyNames else { return [] }
        return variables.keys.filter { $0.hasPrefix(Self.currentPrefix) }.sorted()
    }
}
