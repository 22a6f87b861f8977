import RoleEditor

/// What a key asks for: an editor action, or something only the screen does.
public enum KeyCommand: Equatable, Sendable {
    case action(Action)
    /// Ctrl-L: repaint every cell.
    case redraw
    /// The key means nothing here.
    case ignored
}

/// The key table of DESIGN.md, per pane, as a pure function of the state and the key.
///
/// Precedence follows what has the keyboard: a prompt (y/n), then the help overlay (any key closes
/// it), then the filter line (printable keys are text), then the pane's keys. Ctrl-C and Ctrl-L
/// work everywhere.
///
/// ```swift
/// KeyMap.command(for: .character("j"), in: state)  // .action(.moveCursor(1))
/// ```
public enum KeyMap {
    public static func command(for key: Key, in state: EditorState) -> KeyCommand {
        switch key {
        case .control("c"): return .action(.quit)
        case .control("l"): return .redraw
        case .resize, .unrecognized: return .ignored
        default: break
        }
        if state.prompt != nil { return promptCommand(key) }
        if state.showHelp {
            // update() closes the help on any key and swallows it; `?` says so plainly.
            return .action(.help)
        }
        if state.isTextInputFocused { return filterCommand(key) }
        return paneCommand(key, pane: state.pane)
    }

    private static func promptCommand(_ key: Key) -> KeyCommand {
        switch key {
        case .character("y"), .character("Y"), .enter: .action(.answerPrompt(true))
        case .character("n"), .character("N"), .escape: .action(.answerPrompt(false))
        default: .ignored
        }
    }

    private static func filterCommand(_ key: Key) -> KeyCommand {
        switch key {
        case .character(let character): .action(.filterInput(String(character)))
        case .backspace: .action(.filterBackspace)
        case .enter: .action(.filterCommit)
        case .escape: .action(.filterCancel)
        // The list stays navigable while typing, like a fuzzy finder.
        case .up: .action(.moveCursor(-1))
        case .down: .action(.moveCursor(1))
        case .pageUp: .action(.pageUp)
        case .pageDown: .action(.pageDown)
        default: .ignored
        }
    }

    private static func paneCommand(_ key: Key, pane: Pane) -> KeyCommand {
        if let motion = motionCommand(key) { return .action(motion) }
        switch key {
        case .character("?"): return .action(.help)
        case .character("q"): return .action(.quit)
        case .character("r"): return .action(.reload)
        case .escape: return .action(.back)
        // From any pane: after an apply the review is where one wants to look at (or revert) the run.
        case .character("J") where pane != .journal && pane != .orgPicker: return .action(.openJournal)
        default: break
        }
        switch pane {
        case .users: return usersCommand(key)
        case .checklist: return checklistCommand(key)
        case .review: return reviewCommand(key)
        case .orgPicker: return key == .enter ? .action(.activate) : .ignored
        case .journal: return key == .enter ? .action(.activate) : .ignored
        }
    }

    private static func motionCommand(_ key: Key) -> Action? {
        switch key {
        case .character("j"), .down: .moveCursor(1)
        case .character("k"), .up: .moveCursor(-1)
        case .character("g"), .home: .top
        case .character("G"), .end: .bottom
        case .pageDown, .control("f"): .pageDown
        case .pageUp, .control("b"): .pageUp
        default: nil
        }
    }

    private static func usersCommand(_ key: Key) -> KeyCommand {
        switch key {
        case .character("/"): .action(.filterBegin)
        case .enter: .action(.activate)
        case .character(" "): .action(.toggleMark)
        case .character("s"): .action(.openReview)
        case .character("u"): .action(.undo)
        case .character("o"): .action(.cycleSort)
        case .character("a"): .action(.markAllShown)
        default: .ignored
        }
    }

    private static func checklistCommand(_ key: Key) -> KeyCommand {
        switch key {
        case .character(" "): .action(.toggleRole)
        case .enter: .action(.activate)
        case .character("s"): .action(.openReview)
        case .character("u"): .action(.undo)
        default: .ignored
        }
    }

    private static func reviewCommand(_ key: Key) -> KeyCommand {
        switch key {
        case .character("y"), .enter: .action(.confirmApply)
        case .character("n"): .action(.back)
        case .character("u"): .action(.undo)
        case .character("R"): .action(.retryFailed)
        case .character("b"): .action(.rebaseConflicts)
        default: .ignored
        }
    }
}
