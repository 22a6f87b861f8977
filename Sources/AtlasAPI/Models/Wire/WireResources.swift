/// An organization as the API sends it (`AtlasOrganization`).
struct WireOrganization: Decodable, Sendable {
    var organization: Organization

    private enum CodingKeys: String, CodingKey { case id, name, isDeleted }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        organization = Organization(
            id: try c.decodeAtlasID(forKey: .id),
            name: (try? c.decodeIfPresent(String.self, forKey: .name)) ?? "",
            isDeleted: (try? c.decodeIfPresent(Bool.self, forKey: .isDeleted)) ?? false)
    }
}

/// A team as the API sends it (`TeamResponse`).
struct WireTeam: Decodable, Sendable {
    var team: Team

    private enum CodingKeys: String, CodingKey { case id, name }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        team = Team(
            id: try c.decodeAtlasID(forKey: .id),
            name: (try? c.decodeIfPresent(String.self, forKey: .name)) ?? "")
    }
}

/// An invitation as the API sends it (`OrganizationInvitation`).
struct WireInvitation: Decodable, Sendable {
    var invitation: OrgInvitation

    private enum CodingKeys: String, CodingKey {
        case id, username, roles, teamIds, createdAt, expiresAt, inviterUsername
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        invitation = OrgInvitation(
            id: try c.decodeAtlasID(forKey: .id),
            username: try c.decode(String.self, forKey: .username),
            orgRoles: Set((try? c.decodeIfPresent([OrgRole].self, forKey: .roles)) ?? []),
            teamIds: (try? c.decodeIfPresent([String].self, forKey: .teamIds)) ?? [],
            createdAt: c.lenientDate(.createdAt),
            expiresAt: c.lenientDate(.expiresAt),
            inviterUsername: try? c.decodeIfPresent(String.self, forKey: .inviterUsername))
    }
}

/// The PUT's answer (`UpdateOrgRolesForUser`): `{"orgRoles": [...], "links": [...]}`.
struct WireOrgRoles: Decodable, Sendable {
    var orgRoles: [OrgRole]?
}

/// The OAuth token endpoint's answer.
struct WireAccessToken: Decodable, Sendable {
    var accessToken: String
    var tokenType: String?
    var expiresIn: Double?

    private enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }
}
