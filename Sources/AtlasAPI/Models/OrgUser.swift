#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A member of an organization as this program sees it, whichever API version delivered it.
///
/// Built from the 2025-02-19 `OrgUserResponse` or, on servers that only speak 2023-01-01, from
/// `CloudAppUser` with the org roles taken from the `roles[]` entries of this organization.
public struct OrgUser: Identifiable, Hashable, Sendable, Codable {
    public var id: String
    /// The login, an email address.
    public var username: String
    public var firstName: String?
    public var lastName: String?
    public var status: MembershipStatus
    public var orgRoles: Set<OrgRole>
    public var teamIds: [String]
    public var country: String?
    public var createdAt: Date?
    public var lastAuth: Date?
    public var invitationCreatedAt: Date?
    public var invitationExpiresAt: Date?
    public var inviterUsername: String?
    /// The user's roles in the organization's projects, as the server sent them. Read for one user
    /// at a time (the checklist's header); the user list does not keep them.
    public var projectRoles: [ProjectRoles]

    public init(
        id: String, username: String, firstName: String? = nil, lastName: String? = nil,
        status: MembershipStatus = .active, orgRoles: Set<OrgRole>, teamIds: [String] = [],
        country: String? = nil, createdAt: Date? = nil, lastAuth: Date? = nil,
        invitationCreatedAt: Date? = nil, invitationExpiresAt: Date? = nil, inviterUsername: String? = nil,
        projectRoles: [ProjectRoles] = []
    ) {
        self.projectRoles = projectRoles
        self.id = id
        self.username = username
        self.firstName = firstName
        self.lastName = lastName
        self.status = status
        self.orgRoles = orgRoles
        self.teamIds = teamIds
        self.country = country
        self.createdAt = createdAt
        self.lastAuth = lastAuth
        self.invitationCreatedAt = invitationCreatedAt
        self.invitationExpiresAt = invitationExpiresAt
        self.inviterUsername = inviterUsername
    }

    /// "First Last", or nil when the server gave neither (invitations have no names).
    public var displayName: String? {
        let parts = [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}

/// A user's roles in one project (`groupRoleAssignments` item): project-level roles such as
/// `GROUP_OWNER`, kept as the server spells them.
public struct ProjectRoles: Hashable, Sendable, Codable {
    public var projectId: String
    public var roles: [String]

    public init(projectId: String, roles: [String]) {
        self.projectId = projectId
        self.roles = roles
    }
}

/// An open invitation (`GET /orgs/{orgId}/invites`, 2023-01-01).
public struct OrgInvitation: Identifiable, Hashable, Sendable, Codable {
    public var id: String
    public var username: String
    public var orgRoles: Set<OrgRole>
    public var teamIds: [String]
    public var createdAt: Date?
    public var expiresAt: Date?
    public var inviterUsername: String?

    public init(
        id: String, username: String, orgRoles: Set<OrgRole>, teamIds: [String] = [], createdAt: Date? = nil,
        expiresAt: Date? = nil, inviterUsername: String? = nil
    ) {
        self.id = id
        self.username = username
        self.orgRoles = orgRoles
        self.teamIds = teamIds
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.inviterUsername = inviterUsername
    }
}
