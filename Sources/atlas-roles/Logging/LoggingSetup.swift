import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Sends every swift-log logger of the process to the log file, once, before a command runs.
///
/// Nothing is ever logged to the terminal: while the TUI runs, a stray line on stderr would corrupt
/// the screen. When the file cannot be opened, logging is switched off and the reason is returned
/// for a one-line warning.
enum LoggingSetup {
    /// The label of the program's own logger.
    static let label = "atlas-roles"

    /// Bootstraps `LoggingSystem`; call at most once per process (swift-log enforces it).
    ///
    /// - Returns: the log file's path, or the problem that kept it from being used.
    static func bootstrap(options: LoggingOptions, environment: [String: String], redactor: LogRedactor)
        -> Result<String, ConfigurationError>
    {
        let opened = openFile(options: options, environment: environment)
        switch opened {
        case .success(let file):
            let level = options.logLevel
            LoggingSystem.bootstrap { label in
                FileLogHandler(label: label, file: file, level: level, redactor: redactor)
            }
            return .success(file.path)
        case .failure(let problem):
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
            return .failure(problem)
        }
    }

    static func openFile(options: LoggingOptions, environment: [String: String]) -> Result<LogFile, ConfigurationError>
    {
        guard let path = options.logFile ?? LogFile.defaultPath(environment: environment) else {
            return .failure(ConfigurationError("no log file: neither XDG_STATE_HOME nor HOME is set"))
        }
        do {
            return .success(try LogFile(path: path))
        } catch {
            return .failure(error)
        }
    }
}
