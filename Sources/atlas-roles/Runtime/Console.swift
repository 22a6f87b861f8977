import Foundation

/// Where a command writes its results and messages, and how it asks a yes/no question.
///
/// The real terminal in production; a recording stand-in in tests, so commands run in-process.
protocol Console: Sendable {
    /// Results: the list, the diff, the outcome. Goes to standard output.
    func write(_ text: String)
    /// Warnings, errors and prompts. Goes to standard error so a pipe receives only results.
    func writeError(_ text: String)
    /// True when standard input is a terminal a person can answer from.
    var inputIsInteractive: Bool { get }
    /// Reads one line of an answer; nil at end of input.
    func readLine() -> String?
}

extension Console {
    /// Asks `question` and returns true only for an explicit yes.
    func confirm(_ question: String) -> Bool {
        writeError("\(question) [y/N] ")
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }
}

/// The process's own standard streams.
struct StandardConsole: Console {
    func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    var inputIsInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    func readLine() -> String? { Swift.readLine(strippingNewline: true) }
}
