import ArgumentParser
import Logging

/// `--log-file` and `--log-level`: where the diagnostic log goes. It never goes to the screen.
struct LoggingOptions: ParsableArguments {
    @Option(
        name: .customLong("log-file"),
        help: "Log file (default: $XDG_STATE_HOME/atlas-roles/atlas-roles.log, mode 0600).")
    var logFile: String?

    @Option(
        name: .customLong("log-level"),
        help: "How much to log.")
    var logLevel: Logger.Level = .info
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
