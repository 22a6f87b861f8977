#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Membership: inviting a user (createOrgUser), removing a member or cancelling an invitation
// (removeOrgUser), and the projects whose ids the invitations' project roles name (getOrgGroups).
//
// Atlas documents no error codes for inviting someone already in the organization or for removing its
// last owner; the codes answered here are the sandbox's own: 409 `USER_ALREADY_IN_ORG` (the spec lists
// 409 for "a conflict, if and only if, there is an existing PENDING or ACTIVE user") and 400
// `CANNOT_REMOVE_LAST_ORG_OWNER` (the same refusal a demotion of the last owner gets).

extension SandboxState {
    /// How long an invitation stays open (the spec: "must be accepted within 30 days").
    static let invitationLifetimeSeconds: Int64 = 30 * 86_400

    /// `POST /orgs/{orgId}/users` (2025-02-19): invites `username` with the roles and teams given and
    /// answers 201 with the new PENDING user. An expired or rejected invitation of the same address is
    /// replaced, as the spec says.
    func createOrgUser(_ orgId: String, _ context: ResponseContext) throws(APIError) -> APIResponse {
        let org = try organizationIndex(orgId)
        let body = try jsonBody(context)
        guard let username = body["username"]?.stringValue else {
            throw .validation(
                "username is required and must be an email address.", field: "username",
                description: "must be an email address")
        }
        guard Self.isEmailAddress(username) else {
            throw .validation(
                "\(username) is not a valid email address.", field: "username",
                description: "must be an email address", parameters: [.string(username)])
        }
        guard let roles = body["roles"], case .object = roles else {
            throw .validation("roles is required and must be an object.", field: "roles", description: "required")
        }
        let orgRoles = try validatedRoles(roles["orgRoles"], field: "roles.orgRoles")
        let assignments = try roles["groupRoleAssignments"].map { value throws(APIError) in
            try validatedAssignments(value)
        }
        let known = Set(organizations[org].groupIds)
        for assignment in assignments ?? [] where !known.contains(assignment.groupId) {
            throw .validation(
                "No project with ID \(assignment.groupId) exists in this organization.",
                field: "roles.groupRoleAssignments", description: "must name projects of this organization",
                parameters: [.string(assignment.groupId)])
        }
        let teamIds = try body["teamIds"].map { value throws(APIError) in try validatedTeamIds(value, org: org) }
        if let existing = organizations[org].indexByUsername[username.lowercased()] {
            let status = organizations[org].users[existing].status
            guard status == .invitationExpired || status == .invitationRejected else {
                throw APIError(
                    status: 409, errorCode: "USER_ALREADY_IN_ORG",
                    detail: "\(username) is already \(status == .active ? "a member" : "invited") "
                        + "(\(status.rawValue)) in organization \(orgId).",
                    parameters: [.string(username), .string(status.rawValue)])
            }
            organizations[org].removeUser(at: existing)
        }
        let now = Int64(Date().timeIntervalSince1970)
        let user = SandboxUser(
            id: freshObjectId(seconds: now), username: username, firstName: "", lastName: "", status: .pending,
            country: "", mobileNumber: "", createdAt: Timestamp.iso8601(now), lastAuth: nil, invitationId: nil,
            invitationExpiresAt: Timestamp.iso8601(now + Self.invitationLifetimeSeconds),
            inviterUsername: callerName(context.request), orgRoles: orgRoles,
            groupRoleAssignments: assignments ?? [], teamIds: teamIds ?? [])
        organizations[org].appendInvitation(user)
        persist()
        var answer = context.success(user.orgUserResponseJSON())
        answer.status = 201
        if context.envelope {
            answer.body = JSONValue.object([("content", user.orgUserResponseJSON()), ("status", .int(201))])
                .serializedBytes(pretty: context.pretty)
        }
        return answer
    }

    /// `DELETE /orgs/{orgId}/users/{userId}`: removes an ACTIVE user or cancels a PENDING invitation
    /// and answers 204. Version 2023-01-01 removes ACTIVE users only (the spec's note), so a pending
    /// user is not found there; expired and rejected invitations are not found either, as a read
    /// without a status filter does not find them.
    func removeOrgUser(_ orgId: String, _ userId: String, _ context: ResponseContext) throws(APIError)
        -> APIResponse
    {
        let org = try organizationIndex(orgId)
        let index = try userIndex(userId, in: org)
        let user = organizations[org].users[index]
        let visible: Set<MembershipStatus> = context.version == .v20230101 ? [.active] : [.active, .pending]
        guard visible.contains(user.status) else { throw .userNotFound(userId, orgId: orgId) }
        if user.status == .active, user.orgRoles.contains(OrgRoleName.owner), organizations[org].activeOwnerCount <= 1 {
            throw APIError(
                status: 400, errorCode: "CANNOT_REMOVE_LAST_ORG_OWNER",
                detail: "User \(user.id) is the last Organization Owner of \(orgId); "
                    + "an organization must keep at least one Organization Owner.",
                parameters: [.string(user.id)])
        }
        organizations[org].removeUser(at: index)
        persist()
        return APIResponse(status: 204, headers: [("Content-Type", context.version.contentType)])
    }

    /// `GET /orgs/{orgId}/groups` (2023-01-01): the projects, paged, optionally by a case-insensitive
    /// name prefix (`name`).
    func getOrgGroups(_ orgId: String, _ context: ResponseContext) throws(APIError) -> APIResponse {
        let organization = organizations[try organizationIndex(orgId)]
        let paging = try Paging(context.request.query)
        var projects = organization.projects
        if let prefix = context.request.query["name"]?.lowercased(), !prefix.isEmpty {
            projects = projects.filter { $0.name.lowercased().hasPrefix(prefix) }
        }
        let page = paging.range(total: projects.count)
        let results: [JSONValue] = projects[page].map { project in
            .object([
                ("clusterCount", .int(0)), ("created", .string(Timestamp.iso8601(project.createdSeconds))),
                ("id", .string(project.id)), ("links", context.selfLinks("/groups/\(project.id)")),
                ("name", .string(project.name)), ("orgId", .string(organization.id)), ("tags", .array([])),
            ])
        }
        let body = paging.body(
            results: results, total: projects.count, relativePath: "/orgs/\(orgId)/groups", context: context)
        return context.success(body, isList: true)
    }

    /// Who sent an invitation: the API key's public key or the service account's client id (Atlas
    /// names the caller; for a key that is not an email address, as NOTES.md records).
    func callerName(_ request: APIRequest) -> String {
        if let authorization = request.header("authorization"),
            let digest = DigestCredentials(header: authorization), let username = digest["username"]
        {
            return username
        }
        return authenticator.credentials.serviceAccount.clientId
    }

    /// A new ObjectId for `seconds`, unused in every organization.
    func freshObjectId(seconds: Int64) -> String {
        while true {
            let random = UInt64.random(in: 0...UInt64.max)
            let id = Self.hex(UInt64(UInt32(truncatingIfNeeded: seconds)), digits: 8) + Self.hex(random, digits: 16)
            if organizations.allSatisfy({ $0.indexById[id] == nil }) { return id }
        }
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text.suffix(digits)
    }

    /// One `@` between a non-empty local part and a dotted domain, no spaces or control characters:
    /// what the spec's `format: email` needs for an address to be deliverable at all.
    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, text.utf8.count <= 254 else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return false }
        return text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }
}
