/// A configuration problem a person must fix; the message names the file, profile, key or variable.
///
/// Every command exits with ``ExitStatus/usageOrConfiguration`` (2) when it meets one.
struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    var message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}
