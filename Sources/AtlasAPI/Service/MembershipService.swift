/// An invitation to send: the address, the organization roles, and the teams to join.
public struct OrgUserInvitation: Hashable, Sendable, Codable {
    public var username: String
    public var orgRoles: Set<OrgRole>
    public var teamIds: [String]

    public init(username: String, orgRoles: Set<OrgRole>, teamIds: [String] = []) {
        self.username = username
        self.orgRoles = orgRoles
        self.teamIds = teamIds
    }
}

/// A project of an organization (`GET /orgs/{orgId}/groups`): the names behind the group ids of a
/// user's project roles.
public struct Project: Identifiable, Hashable, Sendable, Codable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// The membership calls: who is in the organization, beyond what their roles are.
///
/// A separate interface from ``AtlasService`` because the role editor's reads and role writes are
/// served by services (test doubles, proxies) that have no notion of membership; the effect runner
/// reports such a service's refusal instead of pretending.
public protocol AtlasMembershipService: AtlasService {
    /// `POST /orgs/{orgId}/users` (2025-02-19): invites one user; answers the new PENDING user.
    func inviteOrgUser(orgId: String, invitation: OrgUserInvitation) async throws -> OrgUser

    /// `DELETE /orgs/{orgId}/users/{userId}` (2025-02-19): removes an ACTIVE user or cancels a
    /// PENDING invitation. Answers the call made.
    func removeOrgUser(orgId: String, userId: String) async throws -> APICall

    /// `GET /orgs/{orgId}/teams`, every page.
    func listTeams(orgId: String) async throws -> [Team]

    /// `GET /orgs/{orgId}/groups`, every page.
    func listProjects(orgId: String) async throws -> [Project]
}

extension APICall {
    /// `POST /orgs/{orgId}/users (2025-02-19)`.
    public static func createOrgUser(orgId: String) -> APICall {
        APICall(method: "POST", path: "/orgs/\(orgId)/users", version: .v20250219)
    }

    /// `DELETE /orgs/{orgId}/users/{userId} (2025-02-19)`.
    public static func removeOrgUser(orgId: String, userId: String) -> APICall {
        APICall(method: "DELETE", path: "/orgs/\(orgId)/users/\(userId)", version: .v20250219)
    }
}
