/// One member or invitee of a generated organization, with the roles the server holds now.
struct SandboxUser: Sendable {
    let id: String
    let username: String
    let firstName: String
    let lastName: String
    let status: MembershipStatus
    let country: String
    let mobileNumber: String
    /// ISO 8601; for invitees, when the invitation was created.
    let createdAt: String
    let lastAuth: String?
    /// Invitees only: the invitation's own id, its expiry (nil = never) and who sent it.
    let invitationId: String?
    let invitationExpiresAt: String?
    let inviterUsername: String?
    /// Organization roles in canonical order; never empty.
    var orgRoles: [String]
    var groupRoleAssignments: [GroupRoleAssignment]
    var teamIds: [String]
}

/// Roles a user holds in one project (`groupRoleAssignments` item).
struct GroupRoleAssignment: Sendable, Equatable {
    let groupId: String
    let groupRoles: [String]
}

/// A team of an organization.
struct SandboxTeam: Sendable {
    let id: String
    let name: String
}

/// A project of an organization (`Group`); its creation time is the one its ObjectId carries.
struct SandboxProject: Sendable {
    let id: String
    let name: String

    /// Seconds since 1970 from the id's first 8 hex digits.
    var createdSeconds: Int64 { Int64(id.prefix(8), radix: 16) ?? 0 }
}
