import ArgumentParser
import AtlasAPI
import BuildInfo
import Glibc
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `atlas-roles` command: the TUI by default, plus scripting and sandbox subcommands.
///
/// Exit statuses are the same for every command: 0 done, 1 refused (by the API, a rule, a conflict or
/// at the prompt), 2 usage or configuration error, 3 partly applied.
@main
struct AtlasRoles: AtlasRolesCommand {
    static let configuration = CommandConfiguration(
        commandName: "atlas-roles",
        abstract: "Administer the organization roles of MongoDB Atlas users.",
        discussion: """
            With no subcommand, opens the full-screen editor for the configured organization (or the \
            organization picker when none is configured). Configuration follows the Atlas CLI: flags, then \
            MONGODB_ATLAS_* environment variables (MCLI_* when any is set), then the profile in \
            $XDG_CONFIG_HOME/atlascli/config.toml. --demo needs no configuration at all.

            Exit status: 0 done, 1 refused by the API or a rule, 2 usage or configuration error, \
            3 partly applied.
            """,
        version: BuildInfo.versionReport,
        subcommands: [ListCommand.self, SetCommand.self, RemoveCommand.self, InviteCommand.self, SandboxCommand.self]
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions

    @OptionGroup var demo: DemoOptions

    @Flag(name: .customLong("no-color"), help: "Draw without colors (also when NO_COLOR is set).")
    var noColor = false

    @Flag(
        name: .customLong("no-mouse"),
        help: "Leave the mouse to the terminal (its own selection) instead of clicking rows and scrolling.")
    var noMouse = false

    @OptionGroup var write: WriteOptions

    @Option(
        name: .customLong("confirm-above"),
        help: "Applying to more users than this asks for their number to be typed instead of y.")
    var confirmAbove = EditorConfig.defaultTypedConfirmationAbove

    func validate() throws {
        if confirmAbove < 0 { throw ValidationError("--confirm-above must be 0 or more") }
    }

    func execute(in context: CommandContext) async throws -> ExitStatus {
        if demo.isOn {
            return try await InteractiveSession.runDemo(
                context: context, writeMethod: write.method, users: demo.users, noColor: noColor,
                confirmAbove: confirmAbove, mouse: !noMouse)
        }
        let configuration = try context.resolveConfiguration(connection.flags)
        return try await InteractiveSession.run(
            configuration: configuration, context: context, writeMethod: write.method, noColor: noColor,
            confirmAbove: confirmAbove, mouse: !noMouse)
    }

    /// Parses, runs, and exits with the documented statuses; argument-parser's own usage errors
    /// (exit 64) are mapped to 2 like every other usage error.
    static func main() async {
        // Before anything reads a secret, whatever the command.
        ProcessHardening.apply()
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForParseError(error)
        }
        if let ours = command as? any AtlasRolesCommand {
            let status = await CommandRunner.runProcess(ours)
            // No transfer thread may still be inside libcurl/OpenSSL when exit runs OpenSSL's cleanup.
            AtlasClient.finishAllTransfers()
            Glibc.exit(status.rawValue)
        }
        do {
            var other = command
            if var asyncCommand = other as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try other.run()
            }
        } catch {
            exitForParseError(error)
        }
        Glibc.exit(0)
    }

    private static func exitForParseError(_ error: any Error) -> Never {
        if exitCode(for: error) == .validationFailure {
            StandardConsole().writeError(fullMessage(for: error) + "\n")
            Glibc.exit(ExitStatus.usageOrConfiguration.rawValue)
        }
        exit(withError: error)
    }
}
