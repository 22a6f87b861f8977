import RoleEditor

/// What a key asks for: an editor action, or something only the screen does.
public enum KeyCommand: Equatable, Sendable {
    case action(Action)
    /// Ctrl-L: repaint every cell.
    case redraw
    /// Ctrl-Z: give the terminal back to the shell and stop until `fg`.
    case suspend
    /// `c`: the selected user's email to the terminal's clipboard (OSC 52).
    case copyEmail
    /// The key means nothing here.
    case ignored
}

/// Dispatch from the key table (``KeyBinding/table``), as a pure function of the state and the key.
///
/// The bindings of ``KeyContext/anywhere`` come first (Ctrl-C, Ctrl-L, Ctrl-Z), then those of what has
/// the keyboard: a prompt (y/n), a terminal too small for the panes (only quitting), the help overlay
/// (any key closes it), the filter line (printable keys are text), else the pane.
///
/// ```swift
/// KeyMap.command(for: .character("j"), in: state)  // .action(.moveCursor(1))
/// ```
public enum KeyMap {
    public static func command(for key: Key, in state: EditorState, terminalTooSmall: Bool = false) -> KeyCommand {
        let context = context(of: state, terminalTooSmall: terminalTooSmall)
        // What a scroll key or the mouse does depends on the sizes in the state.
        if key != .resize, key != .unrecognized, binding(for: key, in: .anywhere) == nil,
            let binding = binding(for: key, in: context)
        {
            switch (binding.command, key) {
            case (.scrollHelp(let scroll), _): return helpScrollCommand(scroll, in: state)
            case (.pointer, .mouse(let event)): return pointerCommand(event, in: state, context: context)
            default: break
            }
        }
        return command(for: key, in: context)
    }

    /// Rows the wheel moves at a turn.
    static let wheelStep = 3

    /// A click on a row selects it (a user of the list, a role of the checklist, an edit of the review,
    /// a run of the journal); the wheel moves the cursor in a pane and scrolls the help (a click closes
    /// the help, as a key does).
    ///
    /// A click on the role the checklist's cursor is already on toggles it, as Space does: lazygit's
    /// rule (a click on the selected item is its primary action), so a double click on a role toggles
    /// it too. The toggle only stages an edit, reviewed before anything is written, and a second
    /// click takes it back. Elsewhere a click never acts: Enter in the list or the journal opens
    /// something, and in the review it applies.
    static func pointerCommand(_ event: MouseEvent, in state: EditorState, context: KeyContext) -> KeyCommand {
        let helpScrolls = HelpOverlay.maximumTop(width: state.terminalCols, height: state.terminalRows) > 0
        let layout = FrameLayout(width: state.terminalCols, height: state.terminalRows)
        switch (context, event.kind) {
        case (.helpOverlay, .click): return .action(.help)
        case (.helpOverlay, .wheelUp): return helpScrolls ? helpScrollCommand(.lines(-wheelStep), in: state) : .ignored
        case (.helpOverlay, .wheelDown): return helpScrolls ? helpScrollCommand(.lines(wheelStep), in: state) : .ignored
        case (.pane, .wheelUp): return .action(.moveCursor(-wheelStep))
        case (.pane, .wheelDown): return .action(.moveCursor(wheelStep))
        case (.pane(.users), .click):
            let row = state.list.scrollTop + event.row - layout.body.y
            guard event.row >= layout.body.y, event.row < layout.body.maxY, row < state.list.count else {
                return .ignored
            }
            return select(row, cursor: state.list.cursor)
        case (.pane(.checklist), .click):
            guard let row = ChecklistPane.roleRow(atY: event.row, state, layout: layout) else { return .ignored }
            let cursor = state.checklist?.cursor ?? 0
            return row == cursor ? .action(.toggleRole) : select(row, cursor: cursor)
        case (.pane(.review), .click):
            guard let item = ReviewPane.item(atY: event.row, state, layout: layout) else { return .ignored }
            return select(item, cursor: state.review.cursor)
        case (.pane(.journal), .click):
            guard let run = JournalPane.run(atY: event.row, state, layout: layout) else { return .ignored }
            return select(run, cursor: state.journal.cursor)
        default: return .ignored
        }
    }

    /// Moves the pane's cursor from `cursor` to `row` (nothing to do when it is there).
    private static func select(_ row: Int, cursor: Int) -> KeyCommand {
        row == cursor ? .ignored : .action(.moveCursor(row - cursor))
    }

    /// Where a scroll key takes the help at the terminal's size: a new first line, or closing the help
    /// when it fits whole (then there is nothing to scroll, and every key closes it as before).
    static func helpScrollCommand(_ scroll: HelpScroll, in state: EditorState) -> KeyCommand {
        let visible = HelpOverlay.visibleLineCount(height: state.terminalRows)
        let last = HelpOverlay.maximumTop(width: state.terminalCols, height: state.terminalRows)
        guard last > 0 else { return .action(.help) }
        let top = min(state.helpTop, last)
        let target =
            switch scroll {
            case .lines(let count): top + count
            case .pages(let count): top + count * max(1, visible - 1)
            case .top: 0
            case .bottom: last
            }
        return .action(.scrollHelp(to: min(max(0, target), last)))
    }

    /// What has the keyboard in `state`.
    static func context(of state: EditorState, terminalTooSmall: Bool = false) -> KeyContext {
        if let prompt = state.prompt { return prompt.wantsTypedAnswer ? .typedAnswer : .prompt }
        if terminalTooSmall { return .tooSmall }
        if state.inviteForm != nil { return .inviteForm }
        if state.showHelp { return .helpOverlay }
        if state.isTextInputFocused { return .filterLine }
        return .pane(state.pane)
    }

    static func command(for key: Key, in context: KeyContext) -> KeyCommand {
        // Neither is a person's key: a new size, or a sequence this program does not use (which must
        // never become filter text).
        if key == .resize || key == .unrecognized { return .ignored }
        guard let binding = binding(for: key, in: .anywhere) ?? binding(for: key, in: context) else { return .ignored }
        switch binding.command {
        case .action(let action): return .action(action)
        case .redraw: return .redraw
        case .suspend: return .suspend
        case .typeIntoFilter:
            guard case .character(let character) = key else { return .ignored }
            return .action(.filterInput(String(character)))
        // Without the state the help's size is unknown: the key closes it, as when the help fits.
        case .scrollHelp: return .action(.help)
        // Without the state nothing says where a click landed.
        case .pointer: return .ignored
        case .copyEmail: return .copyEmail
        }
    }

    /// The binding `key` triggers in `context` (not looking in ``KeyContext/anywhere``): a key named
    /// by a binding before a catch-all.
    static func binding(for key: Key, in context: KeyContext) -> KeyBinding? {
        let candidates = bindings[context] ?? []
        return candidates.first { $0.trigger.keys.contains(key) } ?? candidates.first { $0.matches(key) }
    }

    /// The table by context, built once.
    private static let bindings: [KeyContext: [KeyBinding]] = {
        var byContext: [KeyContext: [KeyBinding]] = [:]
        for binding in KeyBinding.table {
            for context in binding.contexts { byContext[context, default: []].append(binding) }
        }
        return byContext
    }()
}
