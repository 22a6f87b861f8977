import ArgumentParser
import AtlasAPI
import Logging
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs a command and turns whatever it threw into a message on standard error and an ``ExitStatus``.
enum CommandRunner {
    /// The real process: sets up logging (once), then runs with the live context.
    static func runProcess(_ command: any AtlasRolesCommand) async -> ExitStatus {
        let environment = ProcessInfo.processInfo.environment
        let console = StandardConsole()
        let redactor = LogRedactor()
        if case .failure(let problem) = LoggingSetup.bootstrap(
            options: command.logging, environment: environment, redactor: redactor)
        {
            console.writeError("atlas-roles: warning: logging is off: \(problem)\n")
        }
        let context = CommandContext(
            environment: environment, console: console, logger: Logger(label: LoggingSetup.label), redactor: redactor)
        return await execute(command, in: context)
    }

    /// Runs `command` in `context`; never throws.
    static func execute(_ command: any AtlasRolesCommand, in context: CommandContext) async -> ExitStatus {
        let console = context.console
        do {
            let status = try await command.execute(in: context)
            context.logger.info(
                "finished",
                metadata: [
                    "command": "\(type(of: command).configuration.commandName ?? "")", "status": "\(status.rawValue)",
                ])
            return status
        } catch let error as ConfigurationError {
            console.writeError("atlas-roles: error: \(error.message)\n")
            context.logger.error("configuration error: \(error.message)")
            return .usageOrConfiguration
        } catch let failure as CommandFailure {
            console.writeError("atlas-roles: \(failure.message)\n")
            context.logger.error("\(failure.message)")
            return failure.status
        } catch let error as AtlasError {
            let details = OutcomeText.errorLines(error).map { "  \($0)\n" }.joined()
            console.writeError("atlas-roles: error: the Atlas API call failed\n\(details)")
            context.logger.error("API error: \(error.description)")
            return .refused
        } catch {
            console.writeError("atlas-roles: error: \(error)\n")
            context.logger.error("error: \(error)")
            return .refused
        }
    }
}
