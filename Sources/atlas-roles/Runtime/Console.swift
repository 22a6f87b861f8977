import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
    /// True when standard error is a terminal a person watches: progress and waits are shown there.
    var errorIsTerminal: Bool { get }
    /// Reads one line of an answer; nil at end of input.
    func readLine() -> String?
    /// Reads standard input to its end, or until `limit` bytes have been read, whichever comes first.
    func readInput(limit: Int) throws(InputError) -> [UInt8]
}

/// Standard input could not be read.
struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    var description: String
}

extension Console {
    /// A console that does not say otherwise is not watched: no progress to show.
    var errorIsTerminal: Bool { false }

    /// Asks `question` and returns true only for an explicit yes.
    func confirm(_ question: String) -> Bool {
        writeError("\(question) [y/N] ")
        guard let answer = readLine()?.trimmingWhitespace().lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }
}

/// The process's own standard streams.
struct StandardConsole: Console {
    func write(_ text: String) {
        Self.writeAll(text, to: STDOUT_FILENO)
    }

    func writeError(_ text: String) {
        Self.writeAll(text, to: STDERR_FILENO)
    }

    var inputIsInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    func readLine() -> String? { Swift.readLine(strippingNewline: true) }

    func readInput(limit: Int) throws(InputError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, wanted) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw InputError(description: String(cString: strerror(errno))) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return bytes
    }

    /// Unbuffered, like the error and the answer it may precede: retries short writes and interrupted
    /// calls, and gives up on a closed pipe (the reader went away; there is no one left to tell).
    private static func writeAll(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
