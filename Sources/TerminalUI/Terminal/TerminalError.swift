/// Why the terminal could not be used.
public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Standard input or output is not a terminal (piped, or run from a script).
    case notATerminal
    /// ncurses could not start on this terminal type (`TERM` unset or unknown).
    case unsupportedTerminal(term: String?)
    /// A system call failed while setting the terminal up.
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .notATerminal:
            return "atlas-roles needs an interactive terminal: standard input and output must be a tty"
        case .unsupportedTerminal(let term):
            return "cannot start the screen on terminal type \(term.map { "'\($0)'" } ?? "(TERM is not set)")"
        case .system(let call, let errno):
            return "\(call) failed (errno \(errno))"
        }
    }
}
