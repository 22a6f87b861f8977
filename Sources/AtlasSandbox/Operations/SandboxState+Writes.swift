// The role writes: the PUT of the seed, the PATCH that replaces it, and the atomic add/remove
// (membership writes, invite and remove: SandboxState+Membership.swift).

extension SandboxState {
    /// `PUT /orgs/{orgId}/users/{userId}/roles` (2023-01-01): the full new set for an ACTIVE user.
    func updateOrgUserRoles(_ orgId: String, _ userId: String, _ context: ResponseContext) throws(APIError)
        -> APIResponse
    {
        let org = try organizationIndex(orgId)
        let index = try userIndex(userId, in: org)
        let body = try jsonBody(context)
        let roles = try validatedRoles(body["orgRoles"], field: "orgRoles")
        guard organizations[org].users[index].status == .active else {
            throw APIError(
                status: 400, errorCode: "USER_NOT_ACTIVE",
                detail: "User \(userId) has not accepted the invitation to this organization "
                    + "(\(organizations[org].users[index].status.rawValue)); change a pending user's roles with "
                    + "PATCH /orgs/{orgId}/users/{userId} (version 2025-02-19).",
                parameters: [.string(userId)])
        }
        try replaceRoles(roles, org: org, index: index)
        return context.success(
            .object([
                ("links", context.selfLinks("/orgs/\(orgId)/users/\(userId)/roles")),
                ("orgRoles", .array(organizations[org].users[index].orgRoles.map(JSONValue.string))),
            ]))
    }

    /// `PATCH /orgs/{orgId}/users/{userId}` (2025-02-19): fields present are replaced, absent ones kept.
    func updateOrgUser(_ orgId: String, _ userId: String, _ context: ResponseContext) throws(APIError) -> APIResponse {
        let org = try organizationIndex(orgId)
        let index = try userIndex(userId, in: org)
        let body = try jsonBody(context)
        var newRoles: [String]?
        var newAssignments: [GroupRoleAssignment]?
        var newTeams: [String]?
        if let roles = body["roles"] {
            guard case .object = roles else {
                throw .validation("roles must be an object.", field: "roles", description: "must be an object")
            }
            newRoles = try validatedRoles(roles["orgRoles"], field: "roles.orgRoles")
            if let assignments = roles["groupRoleAssignments"] {
                newAssignments = try validatedAssignments(assignments)
            }
        }
        if let teams = body["teamIds"] {
            newTeams = try validatedTeamIds(teams, org: org)
        }
        if let newRoles { try replaceRoles(newRoles, org: org, index: index) }
        if newAssignments != nil || newTeams != nil {
            organizations[org].setMembership(groupRoleAssignments: newAssignments, teamIds: newTeams, at: index)
            persist()
        }
        return context.success(organizations[org].users[index].orgUserResponseJSON())
    }

    /// `POST ...:addRole` / `...:removeRole` (2025-02-19). Adding a held role answers 409, as Atlas's
    /// spec lists (the errorCode is the sandbox's guess); removing one not held changes nothing and
    /// answers 200.
    func changeOneRole(_ orgId: String, _ userId: String, adding: Bool, _ context: ResponseContext) throws(APIError)
        -> APIResponse
    {
        let org = try organizationIndex(orgId)
        let index = try userIndex(userId, in: org)
        let body = try jsonBody(context)
        guard let role = body["orgRole"]?.stringValue else {
            throw .validation("orgRole is required.", field: "orgRole", description: "must be an organization role")
        }
        guard OrgRoleName.isKnown(role) else { throw unknownRole(role, field: "orgRole") }
        var roles = organizations[org].users[index].orgRoles
        if adding {
            guard !roles.contains(role) else {
                throw APIError(
                    status: 409, errorCode: "USER_ALREADY_HAS_ROLE",
                    detail: "The user already holds the organization role \(role).", parameters: [.string(role)])
            }
            roles.append(role)
        } else {
            roles.removeAll { $0 == role }
            if roles.isEmpty {
                throw .validation(
                    "A user must have at least one role at all times; add the new role before removing \(role).",
                    field: "orgRole", description: "cannot remove the user's only role", parameters: [.string(role)])
            }
        }
        try replaceRoles(OrgRoleName.canonical(roles), org: org, index: index)
        return context.success(organizations[org].users[index].orgUserResponseJSON())
    }

    // MARK: Validation shared by the writes

    func jsonBody(_ context: ResponseContext) throws(APIError) -> JSONValue {
        guard let body = JSONValue.parse(String(decoding: context.request.body, as: UTF8.self)),
            case .object = body
        else {
            throw APIError(
                status: 400, errorCode: "INVALID_JSON", detail: "Received JSON is malformed or is not an object.")
        }
        return body
    }

    /// A non-empty array of distinct known role names, in canonical order.
    func validatedRoles(_ value: JSONValue?, field: String) throws(APIError) -> [String] {
        guard let items = value?.arrayValue else {
            throw .validation(
                "\(field) is required and must be an array.", field: field, description: "must be an array")
        }
        var names: [String] = []
        for (position, item) in items.enumerated() {
            guard let name = item.stringValue else {
                throw .validation(
                    "\(field)[\(position)] must be a string.", field: "\(field)[\(position)]",
                    description: "must be a string")
            }
            guard OrgRoleName.isKnown(name) else { throw unknownRole(name, field: "\(field)[\(position)]") }
            guard !names.contains(name) else {
                throw .validation(
                    "\(field) lists \(name) twice.", field: field, description: "items must be unique",
                    parameters: [.string(name)])
            }
            names.append(name)
        }
        guard !names.isEmpty else {
            throw .validation(
                "A user must have at least one organization role.", field: field,
                description: "must contain at least one role")
        }
        return OrgRoleName.canonical(names)
    }

    func unknownRole(_ name: String, field: String) -> APIError {
        .validation(
            "Invalid organization role \(name).", field: field,
            description: "must be one of \(OrgRoleName.all.joined(separator: ", "))", parameters: [.string(name)])
    }

    func validatedAssignments(_ value: JSONValue) throws(APIError) -> [GroupRoleAssignment] {
        guard let items = value.arrayValue else {
            throw .validation(
                "roles.groupRoleAssignments must be an array.", field: "roles.groupRoleAssignments",
                description: "must be an array")
        }
        var assignments: [GroupRoleAssignment] = []
        for item in items {
            guard let groupId = item["groupId"]?.stringValue, Self.isObjectId(groupId),
                let roles = item["groupRoles"]?.arrayValue?.compactMap(\.stringValue)
            else {
                throw .validation(
                    "Each group role assignment needs a 24-hex groupId and groupRoles.",
                    field: "roles.groupRoleAssignments", description: "needs groupId and groupRoles")
            }
            assignments.append(GroupRoleAssignment(groupId: groupId, groupRoles: Array(Set(roles)).sorted()))
        }
        return assignments
    }

    func validatedTeamIds(_ value: JSONValue, org: Int) throws(APIError) -> [String] {
        guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count else {
            throw .validation("teamIds must be an array of ids.", field: "teamIds", description: "must be an array")
        }
        let known = Set(organizations[org].teams.map(\.id))
        for id in items where !known.contains(id) {
            throw .validation(
                "No team with ID \(id) exists in this organization.", field: "teamIds",
                description: "must name teams of this organization", parameters: [.string(id)])
        }
        return Array(Set(items)).sorted()
    }

    /// Sets the roles unless that would leave the organization without an active owner.
    private func replaceRoles(_ roles: [String], org: Int, index: Int) throws(APIError) {
        let user = organizations[org].users[index]
        if user.status == .active, user.orgRoles.contains(OrgRoleName.owner), !roles.contains(OrgRoleName.owner),
            organizations[org].activeOwnerCount <= 1
        {
            throw APIError(
                status: 400, errorCode: "CANNOT_REMOVE_LAST_ORG_OWNER",
                detail: "User \(user.id) is the last Organization Owner of \(organizations[org].id); "
                    + "an organization must keep at least one Organization Owner.",
                parameters: [.string(user.id)])
        }
        guard roles != user.orgRoles else { return }
        organizations[org].setOrgRoles(roles, at: index)
        persist()
    }
}
