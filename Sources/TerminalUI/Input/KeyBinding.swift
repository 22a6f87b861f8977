import RoleEditor

/// One row of the key table: which keys, where, what they ask for, and how help and hints say so.
///
/// The table (``KeyBinding/table``) is the one place a key is bound: ``KeyMap`` dispatches from it,
/// the `?` overlay lists its help, the status line shows its hints, and prompts and messages name
/// their keys from it.
///
/// ```swift
/// KeyBinding(
///     [.character("s")], in: [.pane(.users), .pane(.checklist)], .action(.openReview),
///     help: KeyHelp("s", "review pending edits"),
///     hint: KeyHint([.character("s")], "review", priority: 50, panes: [.users, .checklist]))
/// ```
struct KeyBinding: Sendable {
    /// What a bound key asks for.
    enum Command: Equatable, Sendable {
        case action(Action)
        /// Repaint every cell.
        case redraw
        /// Give the terminal back to the shell and stop until `fg`.
        case suspend
        /// The key's character is typed into the filter.
        case typeIntoFilter
        /// Scroll the help overlay, when it is taller than the terminal (else the key closes it).
        case scrollHelp(HelpScroll)
        /// A click selects the row under it, the wheel moves (or scrolls the help): where depends on
        /// the state (``KeyMap/pointerCommand(_:in:)``).
        case pointer
        /// Copy the selected user's email to the terminal's clipboard (OSC 52).
        case copyEmail
    }

    var trigger: KeyTrigger
    /// Where the binding applies; see ``KeyContext`` for which context has the keyboard.
    var contexts: [KeyContext]
    var command: Command
    /// The entry of the help that explains it (bindings that share an entry are listed once).
    var help: KeyHelp
    /// The status-line hint it gives in some panes, if any.
    var hint: KeyHint?

    init(
        _ trigger: KeyTrigger, in contexts: [KeyContext], _ command: Command, help: KeyHelp, hint: KeyHint? = nil
    ) {
        self.trigger = trigger
        self.contexts = contexts
        self.command = command
        self.help = help
        self.hint = hint
    }

    init(
        _ keys: [Key], in contexts: [KeyContext], _ command: Command, help: KeyHelp, hint: KeyHint? = nil
    ) {
        self.init(.keys(keys), in: contexts, command, help: help, hint: hint)
    }

    /// True when `key` triggers this binding.
    func matches(_ key: Key) -> Bool {
        switch trigger {
        case .keys(let keys): keys.contains(key)
        case .anyCharacter: if case .character = key { true } else { false }
        case .anyKey: true
        case .mouse: if case .mouse = key { true } else { false }
        }
    }
}

/// How a key scrolls the help overlay.
enum HelpScroll: Equatable, Sendable {
    case lines(Int)
    case pages(Int)
    case top
    case bottom
}

/// Which keys a binding takes.
enum KeyTrigger: Hashable, Sendable {
    case keys([Key])
    /// Any printable character: text typed into the filter.
    case anyCharacter
    /// Any key at all: the help overlay closes on it.
    case anyKey
    /// A click or a turn of the wheel.
    case mouse

    /// The keys named one by one (none for the catch-alls).
    var keys: [Key] {
        if case .keys(let keys) = self { return keys }
        return []
    }
}

/// What has the keyboard, which decides the bindings that apply. ``KeyMap`` looks in
/// ``anywhere`` first, then in the one context that has the keyboard, in this order: a prompt, a
/// terminal too small for the panes, the help overlay, the filter line, the pane.
enum KeyContext: Hashable, Sendable {
    /// Whatever has the keyboard: quitting, redrawing and suspending always work.
    case anywhere
    /// A yes/no question waits for its answer.
    case prompt
    /// A question whose answer is typed (the number of users of a large apply).
    case typedAnswer
    /// The terminal is below the panes' minimum size: nothing of them shows, so nothing is changed blind.
    case tooSmall
    /// The help overlay is shown.
    case helpOverlay
    /// The filter line is being typed.
    case filterLine
    /// The invite form is open: typed text goes into its addresses.
    case inviteForm
    /// A pane has the keyboard.
    case pane(Pane)

    /// Every pane.
    static let panes: [KeyContext] = Pane.allCases.map(KeyContext.pane)
}

/// An entry of the help: how the keys are written and what they do.
struct KeyHelp: Hashable, Sendable {
    /// The keys as written: "j/k, arrows", "y or Enter".
    var label: String
    /// What they do: "move", "apply (review); n or Esc goes back".
    var text: String
    /// Further lines under the text.
    var details: [String]

    init(_ label: String, _ text: String, details: [String] = []) {
        self.label = label
        self.text = text
        self.details = details
    }
}

/// A hint on the status line ("j/k move"), shown in `panes` when no message takes the line.
struct KeyHint: Hashable, Sendable {
    /// The keys it names, written joined by "/".
    var keys: [Key]
    /// What they do, in a word or two.
    var text: String
    /// Lower first: the line keeps as many hints as fit, in this order.
    var priority: Int
    var panes: [Pane]

    init(_ keys: [Key], _ text: String, priority: Int, panes: [Pane]) {
        self.keys = keys
        self.text = text
        self.priority = priority
        self.panes = panes
    }

    /// "j/k move"
    var line: String { keys.map(\.name).joined(separator: "/") + " " + text }
}
