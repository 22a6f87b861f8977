import CNcursesw
import Glibc
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The program's one loop, on the one thread that owns curses: wait for a key, a posted action or a
/// signal; run `update`; draw when something changed.
///
/// Waiting is a `poll` on stdin and on the wake-up pipe, with a timeout for the once-a-second `.tick`.
/// Signals arrive as bytes on the same pipe: SIGWINCH re-lays out, SIGINT and SIGTSTP are the Ctrl-C
/// and Ctrl-Z keys they came from (the key table says what those do: quit; restore the terminal, stop,
/// and repaint everything once continued), SIGTERM and SIGHUP save the draft and leave with the
/// terminal restored.
final class MainLoop {
    /// How the loop ended.
    enum Ending: Equatable {
        case quit
        /// A signal ended the session; the draft was flushed. The exit status is 128 + the signal.
        case signal(Int32)

        var exitStatus: Int32 {
            switch self {
            case .quit: 0
            case .signal(let number): 128 + number
            }
        }
    }

    private var state: EditorState
    private let screen: CursesScreen
    private let wakeup: WakeupPipe
    private let inbox: ActionInbox
    private let runner: any EffectRunning
    private let decoder = KeyDecoder()
    private var needsDraw = true
    /// Set while this loop's own Ctrl-Z stop is being continued: the SIGCONT that ends it needs nothing
    /// more, unlike one after a stop from elsewhere.
    private var awaitsOwnContinue = false
    private var ending: Ending?
    private let tickInterval = Duration.seconds(1)

    init(state: EditorState, screen: CursesScreen, wakeup: WakeupPipe, inbox: ActionInbox, runner: any EffectRunning) {
        self.state = state
        self.screen = screen
        self.wakeup = wakeup
        self.inbox = inbox
        self.runner = runner
    }

    func run() -> Ending {
        // The clock first, so that the first frame already counts login ages from it.
        dispatch(.tick(Date()))
        dispatch(.resize(rows: screen.rows, cols: screen.columns))
        runner.forwardServiceEvents()
        dispatch(.start)
        let clock = ContinuousClock()
        var nextTick = clock.now + tickInterval
        while ending == nil {
            if needsDraw {
                draw()
                needsDraw = false
            }
            let wait = max(Duration.zero, nextTick - clock.now)
            let milliseconds = Int32(
                min(1000, wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000))
            var fds = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeup.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, 2, milliseconds)
            for byte in wakeup.drain() { handleWakeup(byte) }
            for action in inbox.takeAll() where ending == nil { dispatch(action) }
            readKeys()
            if clock.now >= nextTick {
                dispatch(.tick(Date()))
                nextTick = clock.now + tickInterval
            }
        }
        if case .signal = ending { flushDraft() }
        return ending ?? .quit
    }

    // MARK: Input

    /// Every key that has arrived, in order. Consecutive keys typed into the filter are sent as one
    /// input: a paste of thousands of characters filters the list once, not once per character.
    private func readKeys() {
        var typed = ""
        func sendTyped() {
            if !typed.isEmpty { dispatch(.filterInput(typed)) }
            typed = ""
        }
        while ending == nil, let raw = screen.readInput() {
            let keys = decoder.decode(raw) { screen.readInput() }
            for key in keys where ending == nil {
                // Typing into the filter does not move the keyboard elsewhere, so the keys after a
                // filter character are read in the same state it was.
                if key != .resize,
                    case .action(.filterInput(let text)) = KeyMap.command(
                        for: key, in: state, terminalTooSmall: isTooSmall)
                {
                    typed += text
                    continue
                }
                sendTyped()
                handle(key)
            }
        }
        sendTyped()
    }

    private func handle(_ key: Key) {
        if key == .resize {
            resize()
            return
        }
        switch KeyMap.command(for: key, in: state, terminalTooSmall: isTooSmall) {
        case .action(let action): dispatch(action)
        case .redraw: redraw()
        case .suspend: suspend()
        case .copyEmail: copyEmail()
        case .ignored: break
        }
    }

    private var isTooSmall: Bool {
        screen.columns < FrameRenderer.minimumSize.columns || screen.rows < FrameRenderer.minimumSize.rows
    }

    private func handleWakeup(_ byte: UInt8) {
        switch Int32(byte) {
        case SIGWINCH: resize()
        case SIGINT: handle(.control("c"))
        case SIGTERM, SIGHUP: ending = .signal(Int32(byte))
        case SIGTSTP: handle(.control("z"))
        case SIGCONT:
            if awaitsOwnContinue {
                awaitsOwnContinue = false
            } else {
                screen.resumeAfterExternalStop()
                resize()
            }
        default: break  // WakeupPipe.actionByte: the inbox is drained right after.
        }
    }

    private func resize() {
        screen.handleResize()
        dispatch(.resize(rows: screen.rows, cols: screen.columns))
    }

    /// Ctrl-Z: the shell gets a sane terminal while the program is stopped, and after `fg` the whole
    /// frame is painted again (the shell drew over it; the diff against the last frame means nothing).
    private func suspend() {
        awaitsOwnContinue = true
        screen.suspend()
        JobControl.stopUntilContinued()
        screen.resumeAfterSuspend()
        // The size may have changed while stopped; the editor's window must follow it.
        resize()
    }

    /// `c`: the selected user's email, cleaned of control characters, to the terminal's clipboard; the
    /// status line says what was copied.
    private func copyEmail() {
        guard state.pane == .users, let user = state.list.cursorUser else { return }
        let email = Clipboard.cleaned(user.username)
        guard !email.isEmpty else { return }
        screen.writeRaw(Clipboard.sequence(for: email))
        dispatch(.copiedToClipboard(email))
    }

    private func redraw() {
        screen.invalidate()
        needsDraw = true
    }

    // MARK: Update and draw

    private func dispatch(_ action: Action) {
        let effects = update(&state, action)
        needsDraw = true
        if effects.contains(.quit) { ending = .quit }
        runner.run(effects)
    }

    private func draw() {
        screen.present(FrameRenderer.render(state, width: screen.columns, height: screen.rows))
    }

    /// Writes the pending edits as they are now and waits (briefly) for the file: the session is ending
    /// because of a signal, and whatever was typed must survive it.
    private func flushDraft() {
        guard let orgId = state.orgId, !state.pending.isEmpty else { return }
        let tasks = runner.run([.saveDraft(Draft(orgId: orgId, edits: state.pending.sorted))])
        let done = try? WakeupPipe()
        Task {
            for task in tasks { await task.value }
            done?.wake()
        }
        guard let done else { return }
        var fd = pollfd(fd: done.readEnd, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, 3000)
    }
}
