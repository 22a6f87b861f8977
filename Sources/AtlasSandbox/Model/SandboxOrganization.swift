/// A generated organization with its users, their look-up indexes, teams and projects.
///
/// Users never move or change status, so the indexes built once at generation stay valid while roles
/// change; that is what keeps paging 100,000 users O(page size).
struct SandboxOrganization: Sendable {
    let id: String
    let name: String
    let skipDefaultAlertsSettings: Bool
    var users: [SandboxUser]
    let teams: [SandboxTeam]
    let groupIds: [String]
    /// Position of each user in `users`, by id and by username.
    let indexById: [String: Int]
    let indexByUsername: [String: Int]
    /// Positions of the users of each status, ascending.
    let indicesByStatus: [MembershipStatus: [Int]]
    /// ACTIVE users holding ORG_OWNER; kept current by every role change.
    var activeOwnerCount: Int
    /// Positions of users changed since generation: all a state file needs to hold.
    private(set) var changedUsers: Set<Int> = []

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
        changedUsers.insert(index)
    }

    /// Replaces a user's project role assignments and teams (nil keeps what is there).
    mutating func setMembership(groupRoleAssignments: [GroupRoleAssignment]?, teamIds: [String]?, at index: Int) {
        if let groupRoleAssignments { users[index].groupRoleAssignments = groupRoleAssignments }
        if let teamIds { users[index].teamIds = teamIds }
        changedUsers.insert(index)
    }
}
