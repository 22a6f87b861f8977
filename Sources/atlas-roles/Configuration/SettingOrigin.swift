/// Where one configuration value came from, so errors and the debug log can say exactly what to fix.
enum SettingOrigin: Hashable, Sendable, CustomStringConvertible {
    /// A command-line flag such as `--org`.
    case flag(String)
    /// An environment variable such as `MONGODB_ATLAS_ORG_ID`.
    case environment(String)
    /// A key of a profile in the Atlas CLI configuration file.
    case profile(file: String, profile: String, key: String)
    /// The profile was chosen because it is the only one in this file.
    case onlyProfile(file: String)
    /// This program's own default (the public Atlas base URL, the `default` profile).
    case builtIn

    var description: String {
        switch self {
        case .flag(let name): "flag \(name)"
        case .environment(let name): "environment variable \(name)"
        case .profile(let file, let profile, let key): "\(file), profile '\(profile)', key '\(key)'"
        case .onlyProfile(let file): "the only profile in \(file)"
        case .builtIn: "built-in default"
        }
    }
}

/// A configuration value together with where it came from.
struct ResolvedSetting<Value: Hashable & Sendable>: Hashable, Sendable {
    var value: Value
    var origin: SettingOrigin
}
