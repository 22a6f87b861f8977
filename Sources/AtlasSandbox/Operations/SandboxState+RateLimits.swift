#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Route {
    /// Every operation's method and path as `GET /rateLimits` names an endpoint.
    static let endpoints: [(method: String, path: String)] = [
        ("GET", "/api/atlas/v2/orgs"), ("GET", "/api/atlas/v2/orgs/{orgId}"),
        ("GET", "/api/atlas/v2/orgs/{orgId}/users"), ("POST", "/api/atlas/v2/orgs/{orgId}/users"),
        ("GET", "/api/atlas/v2/orgs/{orgId}/users/{userId}"), ("PATCH", "/api/atlas/v2/orgs/{orgId}/users/{userId}"),
        ("DELETE", "/api/atlas/v2/orgs/{orgId}/users/{userId}"),
        ("PUT", "/api/atlas/v2/orgs/{orgId}/users/{userId}/roles"),
        ("POST", "/api/atlas/v2/orgs/{orgId}/users/{userId}:addRole"),
        ("POST", "/api/atlas/v2/orgs/{orgId}/users/{userId}:removeRole"),
        ("GET", "/api/atlas/v2/orgs/{orgId}/invites"), ("GET", "/api/atlas/v2/orgs/{orgId}/teams"),
        ("GET", "/api/atlas/v2/orgs/{orgId}/groups"), ("GET", "/api/atlas/v2/rateLimits"),
    ]
}

extension SandboxState {
    /// `GET /rateLimits`: the configured bucket as one organization-scoped endpoint set (none when no
    /// limit is set), filtered as the spec's parameters say and paged. The token endpoint's limit is
    /// not under `/api/atlas/v2` and is not listed.
    func listRateLimits(_ context: ResponseContext) throws(APIError) -> APIResponse {
        let query = context.request.query
        if currentFaults.rateLimitsRefused {
            throw APIError(
                status: 401, errorCode: "USER_UNAUTHORIZED",
                detail: "Current user is not authorized to perform this action.")
        }
        for name in ["orgId", "groupId"] {
            if let id = query[name], !Self.isObjectId(id) { throw .invalidId(name, id) }
        }
        if let orgId = query["orgId"] { _ = try organizationIndex(orgId) }
        let paging = try Paging(query)
        // A query for a project, a user or an address asks for sets of that scope, which the sandbox has none of.
        let otherScope = ["groupId", "userId", "ipAddress"].contains { query[$0] != nil }
        let names = query.all("name")
        let paths = query.all("endpointPath")
        let sets = (otherScope ? [] : rateLimitEndpointSets()).filter { set in
            (names.isEmpty || names.contains(set.name))
                && (paths.isEmpty || set.endpoints.contains { paths.contains($0.path) })
        }
        let page = paging.range(total: sets.count)
        let body = paging.body(
            results: sets[page].map(\.json), total: sets.count, relativePath: "/rateLimits", context: context)
        return context.success(body, isList: true)
    }

    private func rateLimitEndpointSets() -> [RateLimitEndpointSet] {
        guard let limit = currentFaults.rateLimit else { return [] }
        let endpoints = Route.endpoints.filter { limit.scope == .all || $0.method != "GET" }
        return [
            RateLimitEndpointSet(
                id: limit.scope == .all ? "sandboxApi_org" : "sandboxWrites_org",
                name: limit.scope == .all ? "Sandbox API" : "Sandbox Writes", endpoints: endpoints,
                capacity: limit.capacity, refill: RateLimitEndpointSet.refill(perSecond: limit.refillPerSecond))
        ]
    }
}

/// One endpoint set as `GET /rateLimits` describes it (`RateLimitEndpointSetResponse`).
struct RateLimitEndpointSet {
    var id: String
    var name: String
    var endpoints: [(method: String, path: String)]
    var capacity: Int
    var refill: (rate: Int, seconds: Int)

    /// A refill in whole tokens per whole seconds, as the schema has it: per second when that is whole,
    /// else per minute (Atlas's own sets refill per 60 seconds), else per hour.
    static func refill(perSecond: Double) -> (rate: Int, seconds: Int) {
        for seconds in [1, 60, 3600] {
            let rate = perSecond * Double(seconds)
            if abs(rate - rate.rounded()) < 1e-6 || seconds == 3600 { return (Int(rate.rounded()), seconds) }
        }
        return (0, 1)
    }

    var json: JSONValue {
        .object([
            ("capacity", .object([("value", .int(capacity))])), ("endpointSetId", .string(id)),
            ("endpointSetName", .string(name)),
            (
                "endpoints",
                .array(endpoints.map { .object([("method", .string($0.method)), ("path", .string($0.path))]) })
            ),
            ("refillDurationSeconds", .object([("value", .int(refill.seconds))])),
            ("refillRate", .object([("value", .int(refill.rate))])), ("scope", .string("ORGANIZATION")),
        ])
    }
}
