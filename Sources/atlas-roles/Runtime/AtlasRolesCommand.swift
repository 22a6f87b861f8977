import ArgumentParser

/// A command of this program (not the sandbox's): it logs to the file and runs in a ``CommandContext``.
protocol AtlasRolesCommand: AsyncParsableCommand {
    var logging: LoggingOptions { get }

    /// The command's work; configuration errors, ``CommandFailure``s and `AtlasError`s thrown from here
    /// become messages and exit statuses in ``CommandRunner``.
    func execute(in context: CommandContext) async throws -> ExitStatus
}

extension AtlasRolesCommand {
    /// argument-parser's entry, for completeness; `AtlasRoles.main()` calls ``CommandRunner`` itself.
    mutating func run() async throws {
        let status = await CommandRunner.runProcess(self)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
