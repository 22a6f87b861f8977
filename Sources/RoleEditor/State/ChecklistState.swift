import AtlasAPI

/// The role checklist pane: the seven roles for one user or for several marked users.
public struct ChecklistState: Hashable, Sendable {
    /// The users being edited, by id (one, or every marked user).
    public var userIds: [String]
    /// The highlighted role, an index into ``OrgRole/known``.
    public var cursor: Int = 0
    /// The role counts and the users' rows, kept between keys while the edits and users stay the same
    /// (a bulk edit of 100,000 users would otherwise count them all on every key; the keystroke figures
    /// are in `Benchmarks/RESULTS.md`).
    let keptCounts = KeptValue<EditsAndUsers, ChecklistCounts>()
    let keptRows = KeptValue<UInt64, [Int]>()

    public init(userIds: [String], cursor: Int = 0) {
        self.userIds = userIds
        self.cursor = cursor
    }

    /// The role under the cursor.
    public var role: OrgRole { OrgRole.known[cursor] }
}

/// Whether a role is held by the users a checklist edits.
public enum RoleMark: Hashable, Sendable {
    /// Every user has it.
    case on
    /// No user has it.
    case off
    /// Some users have it and others do not.
    case mixed

    /// The mark for `role` over several role sets.
    static func of(_ role: OrgRole, in sets: [Set<OrgRole>]) -> RoleMark {
        let holders = sets.reduce(0) { $0 + ($1.contains(role) ? 1 : 0) }
        if holders == 0 { return .off }
        return holders == sets.count ? .on : .mixed
    }
}

/// One line of the checklist: the role, its mark as loaded, its mark as edited, and whether an
/// ORG_OWNER among the users already implies it.
public struct ChecklistRow: Hashable, Sendable {
    public var role: OrgRole
    public var original: RoleMark
    public var edited: RoleMark
    /// The role's privileges are already held through ORG_OWNER (for every user, or some: `.mixed`).
    public var implied: RoleMark
    public var isCursor: Bool

    public init(role: OrgRole, original: RoleMark, edited: RoleMark, implied: RoleMark, isCursor: Bool) {
        self.role = role
        self.original = original
        self.edited = edited
        self.implied = implied
        self.isCursor = isCursor
    }

    /// True when the edit changes this role for at least one user.
    public var isChanged: Bool { original != edited }
}
