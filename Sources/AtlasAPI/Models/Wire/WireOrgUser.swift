#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A user as 2025-02-19 sends it (`OrgUserResponse`: ACTIVE, PENDING or INVITATION_* members).
struct WireOrgUser: Decodable, Sendable {
    var user: OrgUser

    private enum CodingKeys: String, CodingKey {
        case id, username, orgMembershipStatus, roles, teamIds, firstName, lastName, country
        case createdAt, lastAuth, invitationCreatedAt, invitationExpiresAt, inviterUsername
    }

    private struct Roles: Decodable {
        var orgRoles: [OrgRole]?
        var groupRoleAssignments: [Assignment]?
    }

    private struct Assignment: Decodable {
        var groupId: String
        var groupRoles: [String]?
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let status = try c.decodeIfPresent(MembershipStatus.self, forKey: .orgMembershipStatus) ?? .active
        let roles = (try? c.decodeIfPresent(Roles.self, forKey: .roles)) ?? nil
        user = OrgUser(
            id: try c.decodeAtlasID(forKey: .id),
            username: try c.decode(String.self, forKey: .username),
            firstName: try? c.decodeIfPresent(String.self, forKey: .firstName),
            lastName: try? c.decodeIfPresent(String.self, forKey: .lastName),
            status: status,
            orgRoles: Set(roles?.orgRoles ?? []),
            teamIds: (try? c.decodeIfPresent([String].self, forKey: .teamIds)) ?? [],
            country: try? c.decodeIfPresent(String.self, forKey: .country),
            createdAt: c.lenientDate(.createdAt),
            lastAuth: c.lenientDate(.lastAuth),
            invitationCreatedAt: c.lenientDate(.invitationCreatedAt),
            invitationExpiresAt: c.lenientDate(.invitationExpiresAt),
            inviterUsername: try? c.decodeIfPresent(String.self, forKey: .inviterUsername),
            projectRoles: (roles?.groupRoleAssignments ?? []).map {
                ProjectRoles(projectId: $0.groupId, roles: $0.groupRoles ?? [])
            })
    }
}

/// A user as 2023-01-01 sends it (`CloudAppUser`): only ACTIVE members, with every role the user holds
/// anywhere in `roles[]`; the organization roles are the entries whose `orgId` is the org listed.
struct WireCloudAppUser: Decodable, Sendable {
    var id: String
    var username: String
    var firstName: String?
    var lastName: String?
    var country: String?
    var createdAt: Date?
    var lastAuth: Date?
    var teamIds: [String]
    var roles: [RoleAssignment]

    struct RoleAssignment: Decodable, Sendable {
        var orgId: String?
        var groupId: String?
        var roleName: String?
    }

    private enum CodingKeys: String, CodingKey {
        case id, username, emailAddress, firstName, lastName, country, createdAt, lastAuth, teamIds, roles
    }

    init(
        id: String, username: String, firstName: String?, lastName: String?, country: String?, createdAt: Date?,
        lastAuth: Date?, teamIds: [String], roles: [RoleAssignment]
    ) {
        self.id = id
        self.username = username
        self.firstName = firstName
        self.lastName = lastName
        self.country = country
        self.createdAt = createdAt
        self.lastAuth = lastAuth
        self.teamIds = teamIds
        self.roles = roles
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeAtlasID(forKey: .id)
        // emailAddress is deprecated but older servers may send only it.
        if let username = try? c.decodeIfPresent(String.self, forKey: .username) {
            self.username = username
        } else {
            username = try c.decode(String.self, forKey: .emailAddress)
        }
        firstName = try? c.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try? c.decodeIfPresent(String.self, forKey: .lastName)
        country = try? c.decodeIfPresent(String.self, forKey: .country)
        createdAt = c.lenientDate(.createdAt)
        lastAuth = c.lenientDate(.lastAuth)
        teamIds = (try? c.decodeIfPresent([String].self, forKey: .teamIds)) ?? []
        roles = (try? c.decodeIfPresent([RoleAssignment].self, forKey: .roles)) ?? []
    }

    /// The user with the roles held in organization `orgId`.
    func user(inOrganization orgId: String) -> OrgUser {
        OrgUser(
            id: id, username: username, firstName: firstName, lastName: lastName, status: .active,
            orgRoles: Set(roles.filter { $0.orgId == orgId }.compactMap { $0.roleName.map(OrgRole.init(rawValue:)) }),
            teamIds: teamIds, country: country, createdAt: createdAt, lastAuth: lastAuth,
            projectRoles: Dictionary(grouping: roles.filter { $0.groupId != nil }, by: { $0.groupId! })
                .sorted { $0.key < $1.key }
                .map { ProjectRoles(projectId: $0.key, roles: $0.value.compactMap(\.roleName)) })
    }
}
