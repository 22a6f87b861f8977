import Glibc

/// A file the sandbox only ever appends lines to (the journal, standard error), written with POSIX
/// calls: Foundation's FileHandle lives in full Foundation, whose link brings in ICU's data (about
/// 40 MB of a static binary), and the sandbox needs nothing else from it.
///
/// Standard error is shared by every task and is never closed; a journal file belongs to the state actor.
final class OutputFile: @unchecked Sendable {
    static let standardError = OutputFile(descriptor: STDERR_FILENO, owned: false)

    private var descriptor: Int32
    private let owned: Bool

    private init(descriptor: Int32, owned: Bool) {
        self.descriptor = descriptor
        self.owned = owned
    }

    /// Opens `path` for appending, creating it (mode 0644) when missing; nil if it cannot be opened.
    static func appending(to path: String) -> OutputFile? {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        return OutputFile(descriptor: descriptor, owned: true)
    }

    deinit { close() }

    /// Closes a file this opened; later writes are dropped.
    func close() {
        guard owned, descriptor >= 0 else { return }
        _ = Glibc.close(descriptor)
        descriptor = -1
    }

    /// Writes all of `text`, retrying short writes and interrupted calls; other failures drop the rest.
    func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty && descriptor >= 0 {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
