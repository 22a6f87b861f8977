import AtlasAPI

/// One row of the review: a pending edit (or one the last run applied), its diff, call and outcome.
public struct ReviewItem: Hashable, Sendable {
    public var edit: PendingEdit
    /// The call the write will use (or used).
    public var call: APICall
    public var outcome: ApplyOutcome?
    /// True while the current run's write for this user has not answered.
    public var isInFlight: Bool
    /// True when this edit would leave the user with no role (a removal takes the user away instead).
    public var isEmptyRoleSet: Bool { edit.target.isEmpty && !edit.isRemoval }
    /// `+Role` / `-Role` lines, with the console's role names the rest of the screen uses.
    public var diff: [String] { RoleText.diffLines(edit, naming: .console) }
}
