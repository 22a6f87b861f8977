/// A step a message suggests next ("re-base the conflicts"), named by the action it takes: the view-model
/// knows what makes sense next, the screen knows which key does it.
public enum NextStep: CaseIterable, Hashable, Sendable {
    /// Look at the pending edits in the review.
    case review
    /// Take back the last step (bring discarded edits back).
    case undo
    /// Apply the pending edits.
    case apply
    /// Replay the conflicted edits on the server's roles.
    case rebaseConflicts
    /// Send the refused and failed writes again.
    case retryFailed
    /// Unmark every marked user.
    case clearMarks

    /// The action that takes this step.
    public var action: Action {
        switch self {
        case .review: .openReview
        case .undo: .undo
        case .apply: .confirmApply
        case .rebaseConflicts: .rebaseConflicts
        case .retryFailed: .retryFailed
        case .clearMarks: .clearMarks
        }
    }
}
