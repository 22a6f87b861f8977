/// The documented exit codes of every `atlas-roles` command.
///
/// | code | meaning |
/// |---|---|
/// | 0 | done (or nothing to do) |
/// | 1 | refused: by the API, by a rule (empty role set, last owner), by a conflict, or declined at the prompt |
/// | 2 | usage or configuration error |
/// | 3 | partly applied: some users were changed, others were not |
///
/// The TUI may also end with 128+N after signal N (SIGHUP 129, SIGTERM 143) once the draft is saved.
struct ExitStatus: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32

    init(rawValue: Int32) { self.rawValue = rawValue }

    static let success = ExitStatus(rawValue: 0)
    static let refused = ExitStatus(rawValue: 1)
    static let usageOrConfiguration = ExitStatus(rawValue: 2)
    static let partlyApplied = ExitStatus(rawValue: 3)
}

/// A failure that ends a command with a given status after its message is printed.
struct CommandFailure: Error, Hashable, Sendable, CustomStringConvertible {
    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }
}
