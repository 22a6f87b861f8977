import RoleEditorRuntime
import TOMLKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Atlas CLI's `config.toml`, parsed into profiles: one TOML table per profile.
///
/// Top-level keys that are not tables (`telemetry_enabled = true`, `mongosh_path = "..."`) are the CLI's
/// global settings, not profiles, and are ignored.
///
/// ```toml
/// [prod]
/// org_id = "5f1a2b3c4d5e6f7a8b9c0d1e"
/// auth_type = "api_keys"
/// public_api_key = "abcdefgh"
/// private_api_key = "..."
/// ```
struct AtlasCLIConfigFile: Hashable, Sendable {
    /// The path the file was read from, as it appears in messages.
    var path: String
    /// Profiles by name.
    var profiles: [String: AtlasCLIProfile]
    /// The file's permission bits, when known: a file holding secrets should be 0600.
    var permissions: UInt16?

    /// Profile names in a stable order, for messages.
    var profileNames: [String] { profiles.keys.sorted() }

    /// Parses the text of a config file.
    ///
    /// - Throws: ``ConfigurationError`` naming the file and the line and column of a TOML syntax error, or
    ///   the file, profile and key of a value of the wrong type.
    static func parse(_ text: String, path: String, permissions: UInt16? = nil) throws(ConfigurationError)
        -> AtlasCLIConfigFile
    {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let position = error.source.begin
            throw ConfigurationError(
                "\(path): not valid TOML at line \(position.line), column \(position.column): \(error.description)")
        } catch {
            throw ConfigurationError("\(path): not valid TOML: \(error)")
        }
        var profiles: [String: AtlasCLIProfile] = [:]
        for name in table.keys {
            guard let profileTable = table[name]?.table else { continue }
            var values: [String: String] = [:]
            for key in profileTable.keys {
                guard let value = profileTable[key] else { continue }
                if let string = value.string {
                    values[key] = string
                } else if AtlasCLIProfile.stringKeys.contains(key) {
                    throw ConfigurationError(
                        "\(path), profile '\(name)', key '\(key)': expected a string, found \(describe(value.type))")
                }
            }
            // The CLI lowercases profile names (its settings library does), so `[Prod]` is `prod`.
            profiles[name.lowercased()] = AtlasCLIProfile(name: name.lowercased(), values: values)
        }
        return AtlasCLIConfigFile(path: path, profiles: profiles, permissions: permissions)
    }

    /// Where the Atlas CLI keeps its profiles: `$XDG_CONFIG_HOME/atlascli/config.toml`, else
    /// `~/.config/atlascli/config.toml`; nil when neither variable gives an absolute directory.
    static func defaultPath(environment: [String: String]) -> String? {
        AppDirectories(environment: environment).atlasCLIConfig.map { join($0, "config.toml") }
    }

    /// Reads and parses the file at `path`; nil when there is no file there (not an error: environment
    /// variables alone are a complete configuration).
    static func load(path: String) throws(ConfigurationError) -> AtlasCLIConfigFile? {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError("\(path): cannot be read: \(fileErrorText(error))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("\(path): not UTF-8 text")
        }
        let permissions = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions])
            .flatMap { $0 as? Int }.map { UInt16($0 & 0o777) }
        return try parse(text, path: path, permissions: permissions)
    }

    private static func join(_ directory: String, _ rest: String) -> String {
        directory.hasSuffix("/") ? directory + rest : directory + "/" + rest
    }

    private static func describe(_ type: TOMLType) -> String {
        switch type {
        case .int: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .date, .time, .dateTime: "a date or time"
        case .string: "a string"
        }
    }
}

/// One profile of the Atlas CLI configuration: its string keys as written in the file.
struct AtlasCLIProfile: Hashable, Sendable {
    var name: String
    var values: [String: String]

    /// The keys the Atlas CLI writes as strings; any other type under these names is an error.
    static let stringKeys: Set<String> = [
        "org_id", "project_id", "service", "auth_type", "public_api_key", "private_api_key", "client_id",
        "client_secret", "access_token", "refresh_token", "ops_manager_url", "base_url", "api_version", "output",
    ]

    /// The keys the CLI may move to the system keyring (service `atlascli_<profile>`).
    static let secretKeys: [String] = [
        "public_api_key", "private_api_key", "client_id", "client_secret", "access_token", "refresh_token",
    ]

    /// A non-empty value of `key`, with its origin.
    func setting(_ key: String, file: String) -> ResolvedSetting<String>? {
        guard let value = values[key], !value.isEmpty else { return nil }
        return ResolvedSetting(value: value, origin: .profile(file: file, profile: name, key: key))
    }

    /// The secret keys present in this profile.
    var presentSecretKeys: [String] { Self.secretKeys.filter { !(values[$0] ?? "").isEmpty } }
}
