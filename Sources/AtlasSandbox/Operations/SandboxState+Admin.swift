// The admin endpoint under /__sandbox: faults, journal, roles behind a client's back, health.

extension SandboxState {
    func handleAdmin(_ request: APIRequest) -> APIResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        if segments.count == 6, segments[1] == "orgs", segments[3] == "users", segments[5] == "roles" {
            return adminRoles(request, orgId: segments[2], userId: segments[4])
        }
        switch (request.method, segments) {
        case ("GET", ["__sandbox", "health"]):
            return .json(.object([("ok", .bool(true))]))
        case ("GET", ["__sandbox", "faults"]):
            return .json(currentFaults.json)
        case ("PUT", ["__sandbox", "faults"]):
            guard let document = JSONValue.parse(String(decoding: request.body, as: UTF8.self)) else {
                return Self.adminError(400, "the body is not JSON")
            }
            do {
                setFaults(try currentFaults.merging(document))
            } catch {
                return Self.adminError(400, error.description)
            }
            return .json(currentFaults.json)
        case ("GET", ["__sandbox", "journal"]):
            return .json(.array(journal().map(\.json)))
        case ("DELETE", ["__sandbox", "journal"]):
            clearJournal()
            return APIResponse(status: 204)
        default:
            return Self.adminError(404, "no admin endpoint \(request.method) \(request.path)")
        }
    }

    /// `GET`/`PUT /__sandbox/orgs/{orgId}/users/{userId}/roles`.
    private func adminRoles(_ request: APIRequest, orgId: String, userId: String) -> APIResponse {
        guard let current = orgUserRoles(orgId: orgId, userId: userId) else {
            return Self.adminError(404, "no user \(userId) in organization \(orgId)")
        }
        switch request.method {
        case "GET":
            return .json(.object([("orgRoles", .array(current.map(JSONValue.string)))]))
        case "PUT":
            guard let document = JSONValue.parse(String(decoding: request.body, as: UTF8.self)),
                let roles = document["orgRoles"]?.arrayValue?.compactMap(\.stringValue),
                setOrgUserRoles(orgId: orgId, userId: userId, roles: roles)
            else {
                return Self.adminError(
                    400, "the body must be {\"orgRoles\": [...]}, a non-empty list of organization roles")
            }
            let updated = orgUserRoles(orgId: orgId, userId: userId) ?? []
            return .json(.object([("orgRoles", .array(updated.map(JSONValue.string)))]))
        default:
            return Self.adminError(405, "use GET or PUT on \(request.path)")
        }
    }

    /// Admin refusals: `{"error": status, "detail": ...}`, plain JSON.
    static func adminError(_ status: Int, _ detail: String) -> APIResponse {
        var response = APIResponse.json(
            .object([("error", .int(status)), ("detail", .string(detail))]), status: status)
        response.isSuccessfulJSON = false
        return response
    }
}
