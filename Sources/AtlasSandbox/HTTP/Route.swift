/// The fourteen operations of the API subset, recognised from method and path.
enum Route: Sendable, Equatable {
    case listOrgs
    case getOrg(orgId: String)
    case listOrgUsers(orgId: String)
    case getOrgUser(orgId: String, userId: String)
    case updateOrgUser(orgId: String, userId: String)
    case updateOrgUserRoles(orgId: String, userId: String)
    case addOrgUserRole(orgId: String, userId: String)
    case removeOrgUserRole(orgId: String, userId: String)
    case listOrgInvites(orgId: String)
    case listOrgTeams(orgId: String)
    case createOrgUser(orgId: String)
    case removeOrgUser(orgId: String, userId: String)
    case getOrgGroups(orgId: String)
    case listRateLimits

    static let apiPrefix = "/api/atlas/v2"

    /// The versions each operation has, as in the OpenAPI document.
    var versions: [APIVersion] {
        switch self {
        case .listOrgUsers, .removeOrgUser: return [.v20230101, .v20250219]
        case .getOrgUser, .updateOrgUser, .addOrgUserRole, .removeOrgUserRole, .createOrgUser: return [.v20250219]
        case .listOrgs, .getOrg, .updateOrgUserRoles, .listOrgInvites, .listOrgTeams, .getOrgGroups:
            return [.v20230101]
        case .listRateLimits: return [.v20250312]
        }
    }

    /// Media type versions the spec lists for this operation past their sunset (410 `VERSION_GONE`).
    var sunsetVersions: [String] {
        switch self {
        case .listRateLimits: return ["preview"]
        default: return []
        }
    }

    /// Whether this operation at this version is deprecated (and so carries `Deprecation`/`Sunset`).
    func isDeprecated(_ version: APIVersion) -> Bool {
        switch self {
        case .listOrgUsers, .updateOrgUserRoles, .listOrgInvites, .removeOrgUser: return version == .v20230101
        default: return false
        }
    }

    /// Operations that need the Organization Owner role.
    var requiresOwner: Bool {
        switch self {
        case .updateOrgUser, .updateOrgUserRoles, .addOrgUserRole, .removeOrgUserRole, .listOrgInvites,
            .createOrgUser, .removeOrgUser:
            return true
        default: return false
        }
    }

    /// The ids in the path, named as the spec names them.
    var pathIds: [(name: String, value: String)] {
        switch self {
        case .listOrgs, .listRateLimits: return []
        case .getOrg(let orgId), .listOrgUsers(let orgId), .listOrgInvites(let orgId), .listOrgTeams(let orgId),
            .createOrgUser(let orgId), .getOrgGroups(let orgId):
            return [("orgId", orgId)]
        case .getOrgUser(let orgId, let userId), .updateOrgUser(let orgId, let userId),
            .updateOrgUserRoles(let orgId, let userId), .addOrgUserRole(let orgId, let userId),
            .removeOrgUserRole(let orgId, let userId), .removeOrgUser(let orgId, let userId):
            return [("orgId", orgId), ("userId", userId)]
        }
    }

    /// Recognises `method path` (path relative to `/api/atlas/v2`); a 404 or 405 error otherwise.
    static func match(method: String, path: String) -> Result<Route, APIError> {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var candidates: [String: Route] = [:]
        switch segments.count {
        case 1 where segments[0] == "orgs":
            candidates["GET"] = .listOrgs
        case 1 where segments[0] == "rateLimits":
            candidates["GET"] = .listRateLimits
        case 2 where segments[0] == "orgs":
            candidates["GET"] = .getOrg(orgId: segments[1])
        case 3 where segments[0] == "orgs":
            let orgId = segments[1]
            switch segments[2] {
            case "users":
                candidates["GET"] = .listOrgUsers(orgId: orgId)
                candidates["POST"] = .createOrgUser(orgId: orgId)
            case "groups": candidates["GET"] = .getOrgGroups(orgId: orgId)
            case "invites": candidates["GET"] = .listOrgInvites(orgId: orgId)
            case "teams": candidates["GET"] = .listOrgTeams(orgId: orgId)
            default: break
            }
        case 4 where segments[0] == "orgs" && segments[2] == "users":
            let orgId = segments[1]
            let last = segments[3]
            if last.hasSuffix(":addRole") {
                candidates["POST"] = .addOrgUserRole(orgId: orgId, userId: String(last.dropLast(":addRole".count)))
            } else if last.hasSuffix(":removeRole") {
                candidates["POST"] = .removeOrgUserRole(
                    orgId: orgId, userId: String(last.dropLast(":removeRole".count)))
            } else {
                candidates["GET"] = .getOrgUser(orgId: orgId, userId: last)
                candidates["PATCH"] = .updateOrgUser(orgId: orgId, userId: last)
                candidates["DELETE"] = .removeOrgUser(orgId: orgId, userId: last)
            }
        case 5 where segments[0] == "orgs" && segments[2] == "users" && segments[4] == "roles":
            candidates["PUT"] = .updateOrgUserRoles(orgId: segments[1], userId: segments[3])
        default: break
        }
        if let route = candidates[method] { return .success(route) }
        if candidates.isEmpty {
            return .failure(
                APIError(
                    status: 404, errorCode: "RESOURCE_NOT_FOUND",
                    detail: "Cannot find resource \(Route.apiPrefix)\(path).", parameters: [.string(path)]))
        }
        return .failure(
            APIError(
                status: 405, errorCode: "METHOD_NOT_ALLOWED",
                detail: "Method \(method) is not allowed on \(Route.apiPrefix)\(path).",
                headers: [("Allow", candidates.keys.sorted().joined(separator: ", "))]))
    }
}
