import CNcursesw
import Glibc

/// The ncurses screen: starts and restores the terminal, writes canvases out, reads raw input.
///
/// Owned by the one thread that runs the main loop; nothing here is thread-safe, on purpose.
/// Each frame writes only the cells that differ from the previous frame (``Canvas/changes(from:)``),
/// then `wnoutrefresh` + `doupdate`, so ncurses' own optimizer sees small changes and sends
/// a handful of bytes. `clear` is used only for an explicit redraw (Ctrl-L) or after a resize.
final class CursesScreen {
    private(set) var rows: Int = 0
    private(set) var columns: Int = 0
    let theme: Theme
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var previous: Canvas?
    private var isActive = false
    private let attributeCache: [TextAttributes: attr_t]
    /// Clicks and the wheel are reported to the program (else the terminal keeps them for its own
    /// selection).
    private let usesMouse: Bool

    /// Starts curses on the controlling terminal (stdin/stdout).
    init(colorMode: ColorMode, mouse: Bool = true) throws(TerminalError) {
        usesMouse = mouse
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else {
            throw TerminalError.system(call: "tcgetattr", errno: errno)
        }
        // newterm rather than initscr: initscr exits the process on failure; newterm returns nil.
        guard let screen = newterm(nil, atlas_stdout(), atlas_stdin()) else {
            throw TerminalError.unsupportedTerminal(term: getenv("TERM").map { String(cString: $0) })
        }
        self.screen = screen
        _ = set_term(screen)
        let window = atlas_stdscr()
        self.window = window
        isActive = true
        atlas_crash_guard_install(STDOUT_FILENO, &original)

        // cbreak, not raw: Ctrl-Z still sends SIGTSTP (see JobControl), and Ctrl-C arrives as SIGINT,
        // which the signal pipe turns into the Ctrl-C key.
        cbreak()
        noecho()
        // Enter arrives as CR, not translated; ncurses can use the terminal's line feed for cursor motion.
        nonl()
        _ = keypad(window, true)
        _ = intrflush(window, false)
        // 25 ms: long enough for an escape sequence over SSH to arrive whole, short enough that Esc feels instant.
        _ = set_escdelay(25)
        // The cursor is hidden; leaving it wherever the last write ended saves a cursor motion per frame.
        _ = leaveok(window, true)
        _ = curs_set(0)
        // Non-blocking reads: the main loop waits in poll(2), and drains input when it wakes.
        wtimeout(window, 0)

        var colors = 0
        if colorMode == .automatic && has_colors() {
            _ = start_color()
            _ = use_default_colors()
            colors = Int(atlas_colors())
        }
        theme = Theme.choose(mode: colorMode, terminalColors: colors)
        if theme.depth != .none {
            for color in ThemeColor.allCases where theme.pair(color) != 0 {
                _ = init_pair(theme.pair(color), theme.foreground(color), -1)
            }
        }
        var cache: [TextAttributes: attr_t] = [:]
        for raw in 0..<16 {
            let attributes = TextAttributes(rawValue: UInt8(raw))
            var value = atlas_a_normal()
            if attributes.contains(.bold) { value |= atlas_a_bold() }
            if attributes.contains(.dim) { value |= atlas_a_dim() }
            if attributes.contains(.reverse) { value |= atlas_a_reverse() }
            if attributes.contains(.underline) { value |= atlas_a_underline() }
            cache[attributes] = value
        }
        attributeCache = cache
        // Clicks select and the wheel moves, as in k9s and lazygit; `endwin` (quit, Ctrl-Z, a signal)
        // turns reporting off and the crash guard's sequence does too. `--no-mouse` leaves the mouse to
        // the terminal's own selection.
        enableMouse()
        updateSize()
    }

    /// Re-reads the size from the kernel and tells ncurses (after SIGWINCH). True when it changed.
    @discardableResult
    func handleResize() -> Bool {
        var newRows: Int32 = 0
        var newColumns: Int32 = 0
        if atlas_tty_size(STDOUT_FILENO, &newRows, &newColumns) == 0,
            Int(newRows) != Int(atlas_lines()) || Int(newColumns) != Int(atlas_cols())
        {
            _ = resizeterm(newRows, newColumns)
        }
        let changed = updateSize()
        if changed {
            // The terminal may have reflowed or dropped what it showed: paint everything once.
            invalidate()
        }
        return changed
    }

    @discardableResult
    private func updateSize() -> Bool {
        var newRows: Int32 = 0
        var newColumns: Int32 = 0
        atlas_getmaxyx(window, &newRows, &newColumns)
        let changed = Int(newRows) != rows || Int(newColumns) != columns
        rows = Int(newRows)
        columns = Int(newColumns)
        return changed
    }

    /// Forgets what is on screen: the next ``present(_:)`` repaints every cell (Ctrl-L, resize).
    func invalidate() {
        previous = nil
        _ = clearok(window, true)
    }

    /// Writes the cells of `canvas` that changed since the last frame and updates the terminal.
    func present(_ canvas: Canvas) {
        guard isActive else { return }
        let runs = canvas.changes(from: previous)
        for run in runs {
            write(run)
        }
        previous = canvas
        _ = wnoutrefresh(window)
        _ = doupdate()
    }

    private func write(_ run: CellRun) {
        var style = run.style
        style.attributes.formUnion(theme.extraAttributes(style.color))
        let attributes = attributeCache[style.attributes] ?? atlas_a_normal()
        _ = wattr_set(window, attributes, theme.pair(style.color), nil)
        var wide = run.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        // Writing the bottom-right cell returns ERR (the cursor cannot advance past it) but the cell is
        // written, which is all that matters here.
        _ = mvwaddnwstr(window, Int32(run.y), Int32(run.x), &wide, Int32(wide.count))
    }

    /// The next raw input if one is waiting (never blocks).
    func readInput() -> RawInput? {
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == OK { return .character(UInt32(character)) }
        if result == KEY_CODE_YES {
            let code = Int32(bitPattern: character)
            if code == KEY_MOUSE, let event = mouseEvent() { return .mouse(event) }
            return .keyCode(code)
        }
        return nil
    }

    /// The report behind a `KEY_MOUSE`, if it is a click or a turn of the wheel.
    private func mouseEvent() -> MouseEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let kind: MouseEvent.Kind
        if atlas_mouse_is_wheel_up(event.bstate) != 0 {
            kind = .wheelUp
        } else if atlas_mouse_is_wheel_down(event.bstate) != 0 {
            kind = .wheelDown
        } else if atlas_mouse_is_click(event.bstate) != 0 {
            kind = .click
        } else {
            return nil
        }
        return MouseEvent(kind, row: Int(event.y), column: Int(event.x))
    }

    private func enableMouse() {
        guard usesMouse else {
            _ = mousemask(0, nil)
            return
        }
        _ = mousemask(atlas_mouse_mask(), nil)
        // A press is reported at once: no waiting to tell a click from a double click.
        _ = mouseinterval(0)
    }

    /// Writes `sequence` to the terminal as is, between frames (an OSC that draws nothing), through
    /// the stream ncurses writes to, so it lands after the last frame and before the next.
    func writeRaw(_ sequence: String) {
        guard isActive else { return }
        _ = fputs(sequence, atlas_stdout())
        fflush(atlas_stdout())
    }

    /// Gives the terminal back to the shell before the process stops (Ctrl-Z): the shell's modes, a
    /// visible cursor, the main screen. The next ``present(_:)`` after ``resumeAfterSuspend()``
    /// takes it back (ncurses' `doupdate` re-enters program mode after `endwin`).
    func suspend() {
        guard isActive else { return }
        _ = endwin()
        fflush(atlas_stdout())
    }

    /// Takes the terminal back after `fg`, when ``suspend()`` gave it away.
    func resumeAfterSuspend() {
        guard isActive else { return }
        // Modes changed with stty while stopped are what the person wants back when the program ends.
        _ = def_shell_mode()
        resumeDrawing()
    }

    /// Takes the terminal back after a stop this program did not ask for (SIGSTOP from elsewhere, then
    /// SIGCONT): the shell has meanwhile put its own modes back and drawn over the screen.
    func resumeAfterExternalStop() {
        guard isActive else { return }
        _ = reset_prog_mode()
        resumeDrawing()
    }

    private func resumeDrawing() {
        // SIGWINCH goes to the foreground process group only: a resize while stopped was never seen.
        handleResize()
        // `endwin` turned mouse reporting off; the terminal is the program's again.
        enableMouse()
        // The shell has drawn on the terminal since: nothing of the last frame can be trusted.
        invalidate()
    }

    /// Restores the terminal: modes, cursor, main screen. Safe to call more than once.
    func end() {
        guard isActive else { return }
        isActive = false
        _ = curs_set(1)
        _ = endwin()
        atlas_crash_guard_remove()
        if let screen {
            delscreen(screen)
            self.screen = nil
        }
        fflush(atlas_stdout())
    }

    deinit { end() }
}
