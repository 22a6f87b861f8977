import AtlasAPI
import Logging
import RoleEditor
import RoleEditorRuntime

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a command takes from the world, injected so tests run the real command logic in-process
/// against a sandbox with their own environment and output streams.
struct CommandContext: Sendable {
    /// The environment the configuration is resolved from (the process's, or a test's).
    var environment: [String: String]
    var console: any Console
    var logger: Logger
    /// Scrubs secrets from the log; the command registers the configuration's secrets with it.
    var redactor: LogRedactor
    /// Builds the service from the client configuration: the libcurl ``AtlasClient`` in production; tests
    /// may wrap it.
    var makeService: @Sendable (AtlasClientConfiguration) throws -> any AtlasService
    /// Where drafts, the journal, the log and the token cache live, from ``environment``.
    var directories: AppDirectories { AppDirectories(environment: environment) }

    init(
        environment: [String: String], console: any Console, logger: Logger, redactor: LogRedactor,
        makeService: @escaping @Sendable (AtlasClientConfiguration) throws -> any AtlasService = ServiceFactory
            .makeClient
    ) {
        self.environment = environment
        self.console = console
        self.logger = logger
        self.redactor = redactor
        self.makeService = makeService
    }

    /// Resolves the configuration, prints its warnings, logs where each setting came from, and
    /// registers its secrets with the log redactor.
    ///
    /// When resolution fails, the warnings found on the way are printed too, before the error that
    /// the caller prints: a failing run is when a person reads its output.
    func resolveConfiguration(_ flags: ConfigurationFlags) throws(ConfigurationError) -> ResolvedConfiguration {
        let configuration: ResolvedConfiguration
        do {
            configuration = try ConfigurationResolver.resolveFromDisk(flags: flags, environment: environment)
        } catch {
            printWarnings(error.warnings)
            throw error
        }
        redactor.register(configuration.secrets)
        printWarnings(configuration.warnings)
        logger.info(
            "configuration resolved",
            metadata: [
                "profile": "\(configuration.profile.value) (\(configuration.profile.origin))",
                "org": "\(configuration.orgId.map { "\($0.value) (\($0.origin))" } ?? "none")",
                "baseURL": "\(configuration.baseURL.value) (\(configuration.baseURL.origin))",
                "credentials": "\(configuration.credentials)",
            ])
        return configuration
    }

    private func printWarnings(_ warnings: [String]) {
        for warning in warnings.map({ SafeText.sanitized($0, keepNewlines: true) }) {
            console.writeError("atlas-roles: warning: \(warning)\n")
            logger.warning("\(warning)")
        }
    }

    /// The service for `configuration`, writing ACTIVE users' roles with `writeMethod`.
    func service(for configuration: ResolvedConfiguration, writeMethod: RoleWriteMethod) throws -> any AtlasService {
        try makeService(
            ServiceFactory.clientConfiguration(configuration, writeMethod: writeMethod, environment: environment))
    }

    /// The runtime over ``directories``: the draft-and-journal store and the effect runners, the same for
    /// the screen and the scripting commands.
    func runtime() throws(PersistenceError) -> EditorRuntime {
        try EditorRuntime(directories: directories)
    }

    /// The organization a scripting command works on; they cannot offer the picker the TUI has.
    func requireOrg(_ configuration: ResolvedConfiguration) throws(ConfigurationError) -> String {
        guard let org = configuration.orgId else {
            let env = AtlasCLIEnvironment(variables: environment)
            throw ConfigurationError(
                "no organization: pass --org, set \(env.name(for: "org_id")), or set org_id in profile "
                    + "'\(configuration.profile.value)'"
                    + (configuration.configFilePath.map { " of \($0)" } ?? ""))
        }
        return org.value
    }
}
