import AtlasAPI

/// A pending edit that changes who is in the organization rather than what roles they hold.
public enum MembershipChange: Hashable, Sendable, Codable {
    /// Remove the user (for a PENDING user: cancel the invitation), with `DELETE /orgs/{orgId}/users/{userId}`.
    /// The teams the user was in are kept, so that the journal can invite the user back into them.
    case removal(teamIds: [String])
    /// Invite the edit's `username` with its `target` roles into these teams, with `POST /orgs/{orgId}/users`.
    case invitation(teamIds: [String])
}

/// What a removal or an invitation did.
public enum MembershipWriteResult: Hashable, Sendable {
    case removed(call: APICall)
    /// The new PENDING user as the server answered it.
    case invited(OrgUser, call: APICall)

    public var call: APICall {
        switch self {
        case .removed(let call), .invited(_, let call): call
        }
    }
}

/// The names behind the ids of a user's teams and project roles, read once per organization.
public struct OrganizationNames: Hashable, Sendable {
    /// Team name by team id.
    public var teams: [String: String]
    /// Project name by project (group) id.
    public var projects: [String: String]

    public init(teams: [String: String] = [:], projects: [String: String] = [:]) {
        self.teams = teams
        self.projects = projects
    }
}

extension PendingEdit {
    public var isRemoval: Bool {
        if case .removal = membership { return true }
        return false
    }

    public var isInvitation: Bool {
        if case .invitation = membership { return true }
        return false
    }

    /// The teams a removal keeps for a revert, or an invitation joins.
    public var teamIds: [String] {
        switch membership {
        case .removal(let teams), .invitation(let teams): teams
        case nil: []
        }
    }

    /// An invitation has no user id until the server answers; its edit is keyed by the address.
    public static func invitationKey(for username: String) -> String {
        invitationKeyPrefix + username.lowercased()
    }

    /// True for the key of an invitation (never an Atlas id: those are hex digits only).
    public static func isInvitationKey(_ id: String) -> Bool { id.hasPrefix(invitationKeyPrefix) }

    static let invitationKeyPrefix = "invite:"

    /// The removal of `user` (base: the roles the user holds, or those an edit of theirs began from).
    public static func removal(of user: OrgUser, base: Set<OrgRole>? = nil, revertOf: String? = nil) -> PendingEdit {
        PendingEdit(
            userId: user.id, username: user.username, status: user.status, base: base ?? user.orgRoles, target: [],
            revertOf: revertOf, membership: .removal(teamIds: user.teamIds))
    }

    /// The invitation of `username` with `roles` into `teamIds`.
    public static func invitation(
        username: String, roles: Set<OrgRole>, teamIds: [String], revertOf: String? = nil
    ) -> PendingEdit {
        PendingEdit(
            userId: invitationKey(for: username), username: username, status: .pending, base: [], target: roles,
            revertOf: revertOf, membership: .invitation(teamIds: teamIds))
    }
}
