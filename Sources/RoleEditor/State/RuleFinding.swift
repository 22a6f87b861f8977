import AtlasAPI

/// A problem found in the pending edits before anything is sent. Every finding blocks the apply.
public enum RuleFinding: Hashable, Sendable {
    /// These users would be left with no role at all ("a user must have at least one role").
    case emptyRoleSet(userIds: [String])
    /// After the edits no ACTIVE loaded user would hold ORG_OWNER, and every user is loaded.
    case noOwnerLeft
    /// After the edits no ACTIVE *loaded* user would hold ORG_OWNER, but not every user is loaded:
    /// an owner may exist among the rest. Blocks until the load completes, because guessing wrong
    /// locks everyone out of the organization.
    case ownerCountUnknown(loaded: Int, total: Int?)

    /// One line for the review pane.
    public var message: String {
        switch self {
        case .emptyRoleSet(let ids):
            let who = ids.count == 1 ? "1 user" : "\(ids.count) users"
            return "refused: \(who) would have no role; every user needs at least one"
        case .noOwnerLeft:
            return "refused: the organization would have no Organization Owner left"
        case .ownerCountUnknown(let loaded, let total):
            let of = total.map { " of \($0)" } ?? ""
            return
                "cannot tell whether an Organization Owner remains: only \(loaded)\(of) users are loaded "
                + "and none of them would stay owner (wait for the load to finish)"
        }
    }
}

/// The rules checked before an apply.
enum RoleRules {
    /// Findings for applying `edits` over `users`, the users loaded so far (`progress` says whether
    /// that is all of them).
    ///
    /// Owners are counted among ACTIVE users only: an invitation that was never accepted cannot
    /// administer the organization. The owner rule is only checked when some edit removes ORG_OWNER.
    static func findings(for edits: [PendingEdit], users: UserStore, progress: LoadProgress) -> [RuleFinding] {
        var findings: [RuleFinding] = []
        // A removal leaves no roles by design: the user leaves with them.
        let empty = edits.filter { $0.target.isEmpty && !$0.isRemoval }.map(\.userId)
        if !empty.isEmpty { findings.append(.emptyRoleSet(userIds: empty)) }

        let removesOwner = edits.contains { $0.base.contains(.owner) && !$0.target.contains(.owner) }
        guard removesOwner else { return findings }
        // An edited user counts by the edit's target; everyone else by the roles held (a bit test per
        // user: this runs on every frame of the review over 100,000 users).
        let edited = Set(edits.map(\.userId))
        let editedOwnerRemains = edits.contains { edit in
            guard let index = users.index(ofId: edit.userId) else { return false }
            return users.isActive(index) && edit.target.contains(.owner)
        }
        let ownerRemains =
            editedOwnerRemains
            || users.indices.contains { index in
                users.isActive(index) && users.holds(.owner, at: index) && !edited.contains(users.id(at: index))
            }
        if ownerRemains { return findings }
        if progress.isComplete {
            findings.append(.noOwnerLeft)
        } else {
            findings.append(.ownerCountUnknown(loaded: users.count, total: progress.total))
        }
        return findings
    }
}
