import AtlasAPI

/// A configuration problem a person must fix; the message names the file, profile, key or variable.
///
/// Every command exits with ``ExitStatus/usageOrConfiguration`` (2) when it meets one.
struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    var message: String
    /// Warnings found before the failure (a config file others can read, a secret given as a flag):
    /// still true, and printed before the error rather than lost with the configuration.
    var warnings: [String] = []

    /// Messages quote what a config file, a variable or a flag held (a profile name, an auth_type):
    /// another user's file or a pasted value may hold escape sequences, so the whole message is made
    /// safe for the terminal here, once, whoever built it.
    init(_ message: String) { self.message = SafeText.sanitized(message, keepNewlines: true) }

    var description: String { message }
}

extension ConfigurationError {
    /// This error with `warnings` before its own.
    func adding(warnings earlier: [String]) -> ConfigurationError {
        var error = self
        error.warnings = earlier + warnings
        return error
    }
}
