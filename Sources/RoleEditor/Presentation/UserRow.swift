import AtlasAPI

/// One row of the user list as the screen draws it.
public struct UserRow: Hashable, Sendable {
    /// The row number in the shown rows.
    public var row: Int
    public var user: OrgUser
    public var isCursor: Bool
    public var isMarked: Bool
    /// The user's pending edit, if any (draw the target roles and a pending mark).
    public var edit: PendingEdit?
    /// The outcome of the last apply for this user, if it touched them.
    public var outcome: ApplyOutcome?
    /// How long ago the user last logged in (``LoginText``): "3d", "never"; "" for an invitation or
    /// before the first `.tick`.
    public var lastLogin: String

    /// The roles to show: the edit's target when there is one, the server's when its write was refused,
    /// failed or not sent (the wanted ones are then in ``notApplied``, never shown as held).
    public var shownRoles: Set<OrgRole> { isNotApplied ? user.orgRoles : edit?.target ?? user.orgRoles }

    /// True when the last run tried this user's pending edit and it did not reach the server.
    public var isNotApplied: Bool {
        guard edit != nil, let outcome else { return false }
        switch outcome {
        case .refused, .failed, .notSent: return true
        case .applied, .conflict: return false
        }
    }

    /// "+Billing Admin not applied": the wanted change a refused, failed or unsent write left out.
    public var notApplied: String? {
        guard isNotApplied, let edit else { return nil }
        return RoleText.diffLines(edit, naming: .console).joined(separator: " ") + " not applied"
    }

    /// Sanitized email, name, and a status label ("" for ACTIVE; "PENDING", "EXPIRED", "REJECTED").
    public var email: String { SafeText.sanitized(user.username) }
    public var name: String { SafeText.sanitized(user.displayName ?? "") }
    public var statusLabel: String { user.status == .active ? "" : UserDetailsText.status(user.status) }
}
