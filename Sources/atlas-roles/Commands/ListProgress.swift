import AtlasAPI
import RoleEditor

/// What `list` shows on standard error while it works, when standard error is a terminal: the users
/// loaded so far on one line rewritten in place, and every wait of the service (a 429's `Retry-After`,
/// a backoff) on a line of its own. A load over a slow link or a rate limit can take minutes; a person
/// at the terminal must see that something is happening and why. Nothing is shown otherwise, so a
/// pipe or a file receives only the results and the errors.
final class ListProgress: Sendable {
    private struct State {
        /// True while the last thing written is the progress line, not yet ended by a newline.
        var lineOpen = false
        var finished = false
    }

    private let console: any Console
    private let isShown: Bool
    private let state = LockedValue(State())

    /// "\r" then "erase to the end of the line": the progress line is redrawn where it stands.
    private static let rewriteLine = "\r\u{1B}[K"

    init(console: any Console) {
        self.console = console
        isShown = console.errorIsTerminal
    }

    /// The load started: shown at once, since the first page alone may take seconds.
    func started() {
        showLine("loading users…")
    }

    /// One more page arrived.
    func loaded(_ page: UserPage) {
        let total = page.totalCount.map { " of about \($0)" } ?? ""
        showLine("loading users… \(page.loadedCount)\(total)")
    }

    /// The service waits before trying again: said on a line of its own, which stays.
    func serviceEvent(_ event: ServiceEvent) {
        guard case .retryWait(let call, let seconds, let attempt, let reason) = event else { return }
        let wait = StatusText.retryWait(call: call, seconds: seconds, attempt: attempt, reason: reason)
        write { state in
            defer { state.lineOpen = false }
            return (state.lineOpen ? Self.rewriteLine : "") + "atlas-roles: \(wait)\n"
        }
    }

    /// The load ended (or failed): the progress line is erased, so the table or the error that follows
    /// starts on a clean line.
    func finish() {
        write { state in
            state.finished = true
            defer { state.lineOpen = false }
            return state.lineOpen ? Self.rewriteLine : ""
        }
    }

    private func showLine(_ text: String) {
        write { state in
            state.lineOpen = true
            return Self.rewriteLine + text
        }
    }

    /// Writes what `compose` returns while holding the state, so lines from the load and from the
    /// service's events never interleave; nothing once finished or when not shown.
    private func write(_ compose: (inout State) -> String) {
        guard isShown else { return }
        state.withLock { state in
            guard !state.finished else { return }
            let text = compose(&state)
            if !text.isEmpty { console.writeError(text) }
        }
    }
}
