import RoleEditor

/// The screen's words that name keys, all taken from the key table (``KeyBinding/table``): the status
/// line's hints, a prompt's answers, a message's next steps.
enum KeyText {
    /// The hints of `pane`, highest priority first.
    static func hints(in pane: Pane) -> [KeyHint] {
        hintsByPane[pane] ?? []
    }

    /// "j/k move  / filter  Space mark…": as many of the pane's hints as fit in `width` cells, highest
    /// priority first; a hint is dropped whole rather than cut.
    static func hintLine(in pane: Pane, width: Int) -> String {
        var line = ""
        for hint in hints(in: pane) {
            let next = line.isEmpty ? hint.line : line + "  " + hint.line
            guard TextWidth.width(next) <= width else { break }
            line = next
        }
        return line
    }

    /// The question with its answers: "Quit with 1 pending edit? … (y/n)", and what no means when the
    /// question does not say it ("n discards them.").
    static func question(_ prompt: Prompt) -> String {
        if prompt.wantsTypedAnswer { return prompt.question }
        var text = prompt.question
        if let declineMeans = prompt.declineMeans { text += " \(noKey.name) \(declineMeans)." }
        return text + " (\(yesKey.name)/\(noKey.name))"
    }

    /// "y / Enter: yes     n / Esc: no"
    static var promptAnswers: String {
        promptBindings.map { "\($0.help.label): \($0.help.text)" }.joined(separator: "     ")
    }

    /// "; b re-base conflicts, R retry failed": the steps a message suggests, each with its key in
    /// `pane` (or in any pane, if the message outlived the pane it was meant for); "" for none.
    static func nextSteps(_ steps: [NextStep], in pane: Pane) -> String {
        guard !steps.isEmpty else { return "" }
        return "; " + steps.map { step(for: $0, in: pane) }.joined(separator: ", ")
    }

    /// The first key bound to `action` in `context` (`nil` when none is).
    static func key(for action: Action, in context: KeyContext) -> Key? {
        KeyBinding.table.first { $0.contexts.contains(context) && $0.command == .action(action) }?.trigger.keys.first
    }

    /// "s review": the first key of the hinted binding that takes the step.
    static func step(for step: NextStep, in pane: Pane) -> String {
        let hinted = KeyBinding.table.filter { $0.command == .action(step.action) && $0.hint != nil }
        let binding = hinted.first { $0.contexts.contains(.pane(pane)) } ?? hinted.first
        guard let binding, let hint = binding.hint else { return "" }
        return binding.trigger.keys[0].name + " " + hint.text
    }

    private static var promptBindings: [KeyBinding] { KeyBinding.table.filter { $0.contexts.contains(.prompt) } }
    private static var yesKey: Key { key(for: .answerPrompt(true), in: .prompt)! }
    private static var noKey: Key { key(for: .answerPrompt(false), in: .prompt)! }

    private static let hintsByPane: [Pane: [KeyHint]] = {
        var byPane: [Pane: [KeyHint]] = [:]
        for hint in KeyBinding.table.compactMap(\.hint) {
            for pane in hint.panes { byPane[pane, default: []].append(hint) }
        }
        return byPane.mapValues { $0.sorted { $0.priority < $1.priority } }
    }()
}
