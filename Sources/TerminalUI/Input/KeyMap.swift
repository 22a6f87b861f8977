import RoleEditor

/// What a key asks for: an editor action, or something only the screen does.
public enum KeyCommand: Equatable, Sendable {
    case action(Action)
    /// Ctrl-L: repaint every cell.
    case redraw
    /// Ctrl-Z: give the terminal back to the shell and stop until `fg`.
    case suspend
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
        command(for: key, in: context(of: state, terminalTooSmall: terminalTooSmall))
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
