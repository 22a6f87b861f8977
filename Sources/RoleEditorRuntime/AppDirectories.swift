/// Where this program keeps and finds its files, all from one environment, so the screen, the
/// scripting commands, the log and the token cache can never disagree on a place.
///
/// Each follows the XDG base directory spec: the variable when it is an absolute path (the spec says
/// to ignore relative ones), else the default under `HOME`; nil when neither gives an absolute path.
///
/// ```swift
/// let places = AppDirectories(environment: ProcessInfo.processInfo.environment)
/// places.state   // "/home/ana/.local/state/atlas-roles"
/// ```
public struct AppDirectories: Hashable, Sendable {
    /// Drafts, the journal and the log: `$XDG_STATE_HOME/atlas-roles`.
    public var state: String?
    /// Service-account tokens: `$XDG_CACHE_HOME/atlas-roles`.
    public var cache: String?
    /// The Atlas CLI's profiles, which this program reads: `$XDG_CONFIG_HOME/atlascli`.
    public var atlasCLIConfig: String?

    public init(state: String?, cache: String?, atlasCLIConfig: String?) {
        self.state = state
        self.cache = cache
        self.atlasCLIConfig = atlasCLIConfig
    }

    public init(environment: [String: String]) {
        func base(_ variable: String, orHome relative: String) -> String? {
            if let value = environment[variable], value.hasPrefix("/") { return value }
            if let home = environment["HOME"], home.hasPrefix("/") { return Self.join(home, relative) }
            return nil
        }
        self.init(
            state: base("XDG_STATE_HOME", orHome: ".local/state").map { Self.join($0, "atlas-roles") },
            cache: base("XDG_CACHE_HOME", orHome: ".cache").map { Self.join($0, "atlas-roles") },
            atlasCLIConfig: base("XDG_CONFIG_HOME", orHome: ".config").map { Self.join($0, "atlascli") })
    }

    /// The same places with drafts and the journal in `state/<name>`: the demo's edits and runs are
    /// kept apart from real organizations'.
    public func withStateSubdirectory(_ name: String) -> AppDirectories {
        var copy = self
        copy.state = state.map { Self.join($0, name) }
        return copy
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
