#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A yes/no question that has the keyboard until answered.
public enum Prompt: Hashable, Sendable {
    /// Quit while edits are pending? (They stay saved as a draft.)
    case quitWithPendingEdits(count: Int)
    /// A draft from an earlier session was found: restore its edits?
    case restoreDraft(Draft)
    /// Applying to `users` users (above ``EditorConfig/typedConfirmationAbove``): the number must be
    /// typed, as GitHub and Terraform ask before destructive changes, so one stray `y` cannot send it.
    case typeUserCount(users: Int, typed: String)

    /// True when the answer is typed text (then Enter confirms it) rather than yes or no.
    public var wantsTypedAnswer: Bool {
        if case .typeUserCount = self { return true }
        return false
    }

    /// The question, one line, without the keys that answer it (the screen adds them).
    public var question: String {
        switch self {
        case .quitWithPendingEdits(let count):
            let edits = count == 1 ? "1 pending edit" : "\(count) pending edits"
            return "Quit with \(edits)? They stay saved as a draft for next time."
        case .restoreDraft(let draft):
            let edits = draft.edits.count == 1 ? "1 pending edit" : "\(draft.edits.count) pending edits"
            return "Restore \(edits) from an earlier session?"
        case .typeUserCount(let users, let typed):
            return "This apply writes \(users) users. Type \(users) to apply: \(typed)"
        }
    }

    /// What answering no does, when the question does not say it: "discards them". The screen words it
    /// with the key that answers no.
    public var declineMeans: String? {
        switch self {
        case .quitWithPendingEdits, .typeUserCount: nil
        case .restoreDraft: "discards them"
        }
    }
}

/// A short message on the status line, gone after a few ticks.
public struct Flash: Hashable, Sendable {
    /// How a flash is shown.
    public enum Level: Hashable, Sendable { case info, warning, error }

    public var text: String
    public var level: Level
    /// `.tick` actions left before it disappears.
    public var ticksLeft: Int
    /// What the person may want to do next, after the text; the screen names the keys.
    public var nextSteps: [NextStep]

    public init(_ text: String, level: Level = .info, ticks: Int = 5, nextSteps: [NextStep] = []) {
        self.text = text
        self.level = level
        self.ticksLeft = ticks
        self.nextSteps = nextSteps
    }
}
