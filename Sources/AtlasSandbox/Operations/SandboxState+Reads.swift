// The read operations: organizations, users (both versions), invites and teams.

extension SandboxState {
    func listOrgs(_ context: ResponseContext) throws(APIError) -> APIResponse {
        let paging = try Paging(context.request.query)
        var matching = organizations
        if let prefix = context.request.query["name"]?.lowercased(), !prefix.isEmpty {
            matching = matching.filter { $0.name.lowercased().hasPrefix(prefix) }
        }
        let page = paging.range(total: matching.count)
        let body = paging.body(
            results: matching[page].map { $0.json(context) }, total: matching.count, relativePath: "/orgs",
            context: context)
        return context.success(body, isList: true)
    }

    func getOrg(_ orgId: String, _ context: ResponseContext) throws(APIError) -> APIResponse {
        context.success(organizations[try organizationIndex(orgId)].json(context))
    }

    /// 2023-01-01 lists ACTIVE users only; 2025-02-19 lists ACTIVE and PENDING users unless
    /// `orgMembershipStatuses` (or the deprecated single `orgMembershipStatus`) names others, as Atlas
    /// does, and filters by `username`.
    func listOrgUsers(_ orgId: String, _ context: ResponseContext) throws(APIError) -> APIResponse {
        let org = try organizationIndex(orgId)
        let paging = try Paging(context.request.query)
        let organization = organizations[org]
        let selection: [Int]?
        switch context.version {
        case .v20230101:
            selection = organization.indicesByStatus[.active] ?? []
        case .v20250219, .v20250312:  // 2025-03-12 is never negotiated here (listRateLimits' alone)
            let statuses = try requestedStatuses(context.request.query)
            if let username = context.request.query["username"] {
                let index = organization.indexByUsername[username.lowercased()]
                selection = index.map { statuses.contains(organization.users[$0].status) ? [$0] : [] } ?? []
            } else if statuses.count == MembershipStatus.allCases.count {
                selection = nil
            } else {
                selection = statuses.flatMap { organization.indicesByStatus[$0] ?? [] }.sorted()
            }
        }
        let total = selection?.count ?? organization.users.count
        let page = paging.range(total: total)
        let results: [JSONValue] = page.map { position in
            let user = organization.users[selection?[position] ?? position]
            return context.version == .v20230101
                ? user.cloudAppUserJSON(orgId: orgId, context) : user.orgUserResponseJSON()
        }
        let body = paging.body(results: results, total: total, relativePath: "/orgs/\(orgId)/users", context: context)
        return context.success(body, isList: true)
    }

    /// The statuses asked for; ACTIVE and PENDING when none is named (Atlas's default: expired and
    /// rejected invitations appear only when asked for by name).
    func requestedStatuses(_ query: QueryParameters) throws(APIError) -> [MembershipStatus] {
        let plural = query.all("orgMembershipStatuses").flatMap { $0.split(separator: ",").map(String.init) }
        let singular = query.all("orgMembershipStatus")
        if !plural.isEmpty, !singular.isEmpty {
            throw .validation(
                "orgMembershipStatus cannot be combined with orgMembershipStatuses.", field: "orgMembershipStatus",
                description: "cannot be combined with orgMembershipStatuses")
        }
        let names = plural + singular
        if names.isEmpty { return [.active, .pending] }
        var statuses: [MembershipStatus] = []
        for name in names {
            guard let status = MembershipStatus(rawValue: name) else {
                throw .validation(
                    "Invalid orgMembershipStatuses value \(name).", field: "orgMembershipStatuses",
                    description: "must be one of PENDING, ACTIVE, INVITATION_EXPIRED, INVITATION_REJECTED",
                    parameters: [.string(name)])
            }
            if !statuses.contains(status) { statuses.append(status) }
        }
        return statuses
    }

    func getOrgUser(_ orgId: String, _ userId: String, _ context: ResponseContext) throws(APIError) -> APIResponse {
        let org = try organizationIndex(orgId)
        let user = organizations[org].users[try userIndex(userId, in: org)]
        guard try requestedStatuses(context.request.query).contains(user.status) else {
            throw .userNotFound(userId, orgId: orgId)
        }
        return context.success(user.orgUserResponseJSON())
    }

    /// Pending invitations as a plain array (no paging), optionally for one `username`.
    func listOrgInvites(_ orgId: String, _ context: ResponseContext) throws(APIError) -> APIResponse {
        let organization = organizations[try organizationIndex(orgId)]
        var pending = (organization.indicesByStatus[.pending] ?? []).map { organization.users[$0] }
        if let username = context.request.query["username"]?.lowercased() {
            pending = pending.filter { $0.username.lowercased() == username }
        }
        return context.success(.array(pending.map { organization.invitationJSON($0, context) }))
    }

    func listOrgTeams(_ orgId: String, _ context: ResponseContext) throws(APIError) -> APIResponse {
        let organization = organizations[try organizationIndex(orgId)]
        let paging = try Paging(context.request.query)
        let page = paging.range(total: organization.teams.count)
        let body = paging.body(
            results: organization.teams[page].map { organization.teamJSON($0, context) },
            total: organization.teams.count, relativePath: "/orgs/\(orgId)/teams", context: context)
        return context.success(body, isList: true)
    }
}
