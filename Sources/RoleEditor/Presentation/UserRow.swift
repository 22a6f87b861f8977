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

    /// The roles to show: the edit's target when there is one.
    public var shownRoles: Set<OrgRole> { edit?.target ?? user.orgRoles }

    /// Sanitized email, name, and a status label ("" for ACTIVE; "PENDING", "EXPIRED", "REJECTED").
    public var email: String { SafeText.sanitized(user.username) }
    public var name: String { SafeText.sanitized(user.displayName ?? "") }
    public var statusLabel: String { user.status == .active ? "" : UserDetailsText.status(user.status) }
}
