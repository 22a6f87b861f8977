/// A generated organization with its users, their look-up indexes, teams and projects.
///
/// Role changes never move a user, so the indexes stay valid while roles change; that is what keeps
/// paging 100,000 users O(page size). An invitation is appended (and indexed in O(1)); a removal
/// rebuilds the indexes, once per removed user.
struct SandboxOrganization: Sendable {
    let id: String
    let name: String
    let skipDefaultAlertsSettings: Bool
    var users: [SandboxUser]
    let teams: [SandboxTeam]
    let groupIds: [String]
    /// Position of each user in `users`, by id and by username.
    private(set) var indexById: [String: Int] = [:]
    private(set) var indexByUsername: [String: Int] = [:]
    /// Positions of the users of each status, ascending.
    private(set) var indicesByStatus: [MembershipStatus: [Int]] = [:]
    /// ACTIVE users holding ORG_OWNER; kept current by every role change.
    var activeOwnerCount = 0
    /// Ids of generated users whose roles or teams changed since generation: with the removed ids and
    /// the invited users, all a state file needs to hold.
    private(set) var changedUserIds: Set<String> = []
    /// Generated users removed from the organization (or whose invitation was cancelled).
    private(set) var removedUserIds: Set<String> = []
    /// Ids of the users invited through the API (absent from the generated organization).
    private(set) var invitedUserIds: Set<String> = []

    init(
        id: String, name: String, skipDefaultAlertsSettings: Bool, users: [SandboxUser], teams: [SandboxTeam],
        groupIds: [String]
    ) {
        self.id = id
        self.name = name
        self.skipDefaultAlertsSettings = skipDefaultAlertsSettings
        self.users = users
        self.teams = teams
        self.groupIds = groupIds
        rebuildIndexes()
    }

    private mutating func rebuildIndexes() {
        var byId: [String: Int] = [:]
        var byUsername: [String: Int] = [:]
        var byStatus: [MembershipStatus: [Int]] = [:]
        byId.reserveCapacity(users.count)
        byUsername.reserveCapacity(users.count)
        var owners = 0
        for (index, user) in users.enumerated() {
            byId[user.id] = index
            byUsername[user.username.lowercased()] = index
            byStatus[user.status, default: []].append(index)
            if user.status == .active, user.orgRoles.contains(OrgRoleName.owner) { owners += 1 }
        }
        indexById = byId
        indexByUsername = byUsername
        indicesByStatus = byStatus
        activeOwnerCount = owners
    }

    /// Replaces a user's organization roles, keeping the owner count right.
    mutating func setOrgRoles(_ roles: [String], at index: Int) {
        let user = users[index]
        if user.status == .active {
            let wasOwner = user.orgRoles.contains(OrgRoleName.owner)
            let isOwner = roles.contains(OrgRoleName.owner)
            activeOwnerCount += (isOwner ? 1 : 0) - (wasOwner ? 1 : 0)
        }
        users[index].orgRoles = roles
        changedUserIds.insert(user.id)
    }

    /// Replaces a user's project role assignments and teams (nil keeps what is there).
    mutating func setMembership(groupRoleAssignments: [GroupRoleAssignment]?, teamIds: [String]?, at index: Int) {
        if let groupRoleAssignments { users[index].groupRoleAssignments = groupRoleAssignments }
        if let teamIds { users[index].teamIds = teamIds }
        changedUserIds.insert(users[index].id)
    }

    /// Adds an invitee at the end (its position sorts after every other, so the status lists stay
    /// ascending).
    mutating func appendInvitation(_ user: SandboxUser) {
        let index = users.count
        users.append(user)
        indexById[user.id] = index
        indexByUsername[user.username.lowercased()] = index
        indicesByStatus[user.status, default: []].append(index)
        if user.status == .active, user.orgRoles.contains(OrgRoleName.owner) { activeOwnerCount += 1 }
        invitedUserIds.insert(user.id)
    }

    /// Removes a member or an invitee; the positions after it move down by one.
    mutating func removeUser(at index: Int) {
        let id = users[index].id
        users.remove(at: index)
        if invitedUserIds.remove(id) == nil { removedUserIds.insert(id) }
        changedUserIds.remove(id)
        rebuildIndexes()
    }

    /// The invited users still in the organization, for a state file.
    var invitedUsers: [SandboxUser] { users.filter { invitedUserIds.contains($0.id) } }

    /// The projects (`Group`): the generated group ids with names of their own, fixed by position.
    var projects: [SandboxProject] {
        groupIds.enumerated().map { position, groupId in
            let base = NameCatalog.projectNames[position % NameCatalog.projectNames.count]
            return SandboxProject(
                id: groupId, name: position < NameCatalog.projectNames.count ? base : "\(base)-\(position)")
        }
    }
}
