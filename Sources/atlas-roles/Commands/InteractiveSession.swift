import AtlasAPI
import Logging
import RoleEditor
import RoleEditorRuntime
import TerminalUI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The default command's work: the full-screen editor, against a configured account or the demo sandbox.
enum InteractiveSession {
    /// Organizations in the demo, so the picker has something to show after `Esc`.
    static let demoOrganizations = 3

    /// Runs the TUI for `configuration`; with no organization configured, it opens on the picker.
    /// Drafts and the journal go to `directories` (the context's by default).
    static func run(
        configuration: ResolvedConfiguration, context: CommandContext, writeMethod: RoleWriteMethod, noColor: Bool,
        confirmAbove: Int = EditorConfig.defaultTypedConfirmationAbove, mouse: Bool = true,
        directories: AppDirectories? = nil
    ) async throws -> ExitStatus {
        let service = try context.service(for: configuration, writeMethod: writeMethod)
        return try await runScreen(
            service: service,
            configuration: TerminalConfiguration(
                orgId: configuration.orgId?.value, colorMode: colorMode(context, noColor: noColor),
                preferredWriteMethod: writeMethod, typedConfirmationAbove: confirmAbove,
                mouse: mouse),
            directories: directories ?? context.directories, context: context)
    }

    /// Runs the TUI against the demo sandbox (``withDemoSandbox(context:users:_:)``).
    static func runDemo(
        context: CommandContext, writeMethod: RoleWriteMethod, users: Int, noColor: Bool,
        confirmAbove: Int = EditorConfig.defaultTypedConfirmationAbove, mouse: Bool = true
    ) async throws -> ExitStatus {
        try await withDemoSandbox(context: context, users: users) { configuration, directories in
            try await run(
                configuration: configuration, context: context, writeMethod: writeMethod, noColor: noColor,
                confirmAbove: confirmAbove, mouse: mouse, directories: directories)
        }
    }

    /// Starts the demo sandbox (``DemoSandbox``: in this process in development builds, else the
    /// `atlas-roles-sandbox` program beside this one), runs `body` against its first organization through
    /// the ordinary configuration → AtlasClient → HTTP Digest path (so the demo exercises what production
    /// does), and stops it. The screen's `--demo`, `list --demo` and `set --demo` all start it here.
    ///
    /// `body` gets the directories for drafts and the journal: `<state>/demo`, apart from real
    /// organizations' files; a launched sandbox's errors go there too (`sandbox.log`).
    static func withDemoSandbox(
        context: CommandContext, users: Int,
        _ body: (ResolvedConfiguration, AppDirectories) async throws -> ExitStatus
    ) async throws -> ExitStatus {
        let directories = context.directories.withStateSubdirectory("demo")
        let sandbox = try await DemoSandbox.start(
            organizations: demoOrganizations, users: users, stateDirectory: directories.state)
        let status: ExitStatus
        do {
            guard let orgId = sandbox.organizationIDs.first else {
                throw CommandFailure(.refused, "error: the demo sandbox generated no organization")
            }
            let configuration = ResolvedConfiguration(
                profile: ResolvedSetting(value: "demo", origin: .flag("--demo")), configFilePath: nil,
                orgId: ResolvedSetting(value: orgId, origin: .flag("--demo")),
                baseURL: ResolvedSetting(value: sandbox.baseURL, origin: .flag("--demo")),
                credentials: .apiKey(
                    publicKey: ResolvedSetting(value: sandbox.publicKey, origin: .flag("--demo")),
                    privateKey: ResolvedSetting(value: sandbox.privateKey, origin: .flag("--demo"))),
                warnings: [])
            context.redactor.register(configuration.secrets)
            context.logger.info(
                "demo sandbox started",
                metadata: ["baseURL": "\(sandbox.baseURL)", "org": "\(orgId)", "users": "\(users)"])
            status = try await body(configuration, directories)
        } catch {
            try? await sandbox.stop()
            throw error
        }
        try await sandbox.stop()
        return status
    }

    private static func colorMode(_ context: CommandContext, noColor: Bool) -> ColorMode {
        ColorMode.from(environment: context.environment, noColorFlag: noColor)
    }

    private static func runScreen(
        service: any AtlasService, configuration: TerminalConfiguration, directories: AppDirectories,
        context: CommandContext
    )
        async throws -> ExitStatus
    {
        context.logger.info("screen starting", metadata: ["org": "\(configuration.orgId ?? "picker")"])
        do {
            let runtime = try EditorRuntime(directories: directories)
            let status = try await TerminalApp.run(configuration: configuration) { send in
                runtime.makeRunner(service: service, send: send)
            }
            context.logger.info("screen ended", metadata: ["status": "\(status)"])
            return ExitStatus(rawValue: status)
        } catch let error as TerminalError {
            let reason =
                error == .notATerminal
                ? "the editor needs an interactive terminal (standard input and output must be a tty)" : "\(error)"
            throw CommandFailure(
                .usageOrConfiguration, "error: \(reason); for scripts use 'atlas-roles list' and 'atlas-roles set'")
        } catch let error as PersistenceError {
            throw CommandFailure(.usageOrConfiguration, "error: cannot keep drafts and the journal: \(error)")
        }
    }
}
