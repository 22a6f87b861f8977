// The JSON bodies of the API subset, key for key as the OpenAPI schemas shape them.

extension SandboxOrganization {
    /// `AtlasOrganization`.
    func json(_ context: ResponseContext) -> JSONValue {
        .object([
            ("id", .string(id)), ("isDeleted", .bool(false)), ("links", context.selfLinks("/orgs/\(id)")),
            ("name", .string(name)), ("skipDefaultAlertsSettings", .bool(skipDefaultAlertsSettings)),
        ])
    }

    /// `TeamResponse` for one team.
    func teamJSON(_ team: SandboxTeam, _ context: ResponseContext) -> JSONValue {
        .object([
            ("id", .string(team.id)), ("links", context.selfLinks("/orgs/\(id)/teams/\(team.id)")),
            ("name", .string(team.name)),
        ])
    }

    /// `OrganizationInvitation` for an invitee, with the roles the server holds now.
    func invitationJSON(_ user: SandboxUser, _ context: ResponseContext) -> JSONValue {
        var members: [(String, JSONValue)] = [("createdAt", .string(user.createdAt))]
        if let expiresAt = user.invitationExpiresAt { members.append(("expiresAt", .string(expiresAt))) }
        let invitationId = user.invitationId ?? user.id
        members += [
            (
                "groupRoleAssignments",
                .array(
                    user.groupRoleAssignments.flatMap { assignment in
                        assignment.groupRoles.map {
                            .object([("groupId", .string(assignment.groupId)), ("groupRole", .string($0))])
                        }
                    })
            ),
            ("id", .string(invitationId)),
            ("inviterUsername", .string(user.inviterUsername ?? "")),
            ("links", context.selfLinks("/orgs/\(id)/invites/\(invitationId)")),
            ("orgId", .string(id)),
            ("orgName", .string(name)),
            ("roles", .array(user.orgRoles.map(JSONValue.string))),
            ("teamIds", .array(user.teamIds.map(JSONValue.string))),
            ("username", .string(user.username)),
        ]
        return .object(members)
    }
}

extension GroupRoleAssignment {
    /// `GroupRoleAssignment`: `{"groupId", "groupRoles": [...]}`.
    var json: JSONValue {
        .object([("groupId", .string(groupId)), ("groupRoles", .array(groupRoles.map(JSONValue.string)))])
    }

    /// The assignment a state file kept; nil for an entry that is not one.
    init?(json item: JSONValue) {
        guard let groupId = item["groupId"]?.stringValue,
            let groupRoles = item["groupRoles"]?.arrayValue?.compactMap(\.stringValue)
        else { return nil }
        self.init(groupId: groupId, groupRoles: groupRoles)
    }
}

extension SandboxUser {
    /// `CloudAppUser` (2023-01-01): org roles as `{orgId, roleName}`, project roles as `{groupId, roleName}`.
    func cloudAppUserJSON(orgId: String, _ context: ResponseContext) -> JSONValue {
        let orgRoleEntries: [JSONValue] = orgRoles.map {
            .object([("orgId", .string(orgId)), ("roleName", .string($0))])
        }
        let groupRoleEntries: [JSONValue] = groupRoleAssignments.flatMap { assignment in
            assignment.groupRoles.map {
                .object([("groupId", .string(assignment.groupId)), ("roleName", .string($0))])
            }
        }
        var members: [(String, JSONValue)] = [
            ("country", .string(country)), ("createdAt", .string(createdAt)), ("emailAddress", .string(username)),
            ("firstName", .string(firstName)), ("id", .string(id)),
        ]
        if let lastAuth { members.append(("lastAuth", .string(lastAuth))) }
        members += [
            ("lastName", .string(lastName)), ("links", context.selfLinks("/users/\(id)")),
            ("mobileNumber", .string(mobileNumber)), ("roles", .array(orgRoleEntries + groupRoleEntries)),
            ("teamIds", .array(teamIds.map(JSONValue.string))), ("username", .string(username)),
        ]
        return .object(members)
    }

    /// `OrgUserResponse` (2025-02-19): ACTIVE and invitee shapes differ, discriminated by status.
    func orgUserResponseJSON() -> JSONValue {
        let roles: JSONValue = .object([
            (
                "groupRoleAssignments",
                .array(groupRoleAssignments.map(\.json))
            ),
            ("orgRoles", .array(orgRoles.map(JSONValue.string))),
        ])
        if status == .active {
            var members: [(String, JSONValue)] = [
                ("country", .string(country)), ("createdAt", .string(createdAt)), ("firstName", .string(firstName)),
                ("id", .string(id)),
            ]
            if let lastAuth { members.append(("lastAuth", .string(lastAuth))) }
            members += [
                ("lastName", .string(lastName)), ("mobileNumber", .string(mobileNumber)),
                ("orgMembershipStatus", .string(status.rawValue)), ("roles", roles),
                ("teamIds", .array(teamIds.map(JSONValue.string))), ("username", .string(username)),
            ]
            return .object(members)
        }
        return .object([
            ("id", .string(id)), ("invitationCreatedAt", .string(createdAt)),
            ("invitationExpiresAt", invitationExpiresAt.map(JSONValue.string) ?? .null),
            ("inviterUsername", .string(inviterUsername ?? "")), ("orgMembershipStatus", .string(status.rawValue)),
            ("roles", roles), ("teamIds", .array(teamIds.map(JSONValue.string))), ("username", .string(username)),
        ])
    }
}
