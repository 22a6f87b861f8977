#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension AtlasClient: AtlasMembershipService {
    public func inviteOrgUser(orgId: String, invitation: OrgUserInvitation) async throws -> OrgUser {
        let call = APICall.createOrgUser(orgId: orgId)
        try Self.requireIds([orgId] + invitation.teamIds, call: call)
        guard !invitation.orgRoles.isEmpty else {
            throw AtlasError(.configuration("an invitation needs at least one organization role"), call: call)
        }
        var body = InvitationBody(
            username: invitation.username, roles: .init(orgRoles: invitation.orgRoles.sorted().map(\.rawValue)),
            teamIds: nil)
        // Sent only when there are teams: the spec's teamIds is optional and an empty one says nothing.
        if !invitation.teamIds.isEmpty { body.teamIds = Array(Set(invitation.teamIds)).sorted() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Not idempotent: a POST retried after a timeout may have invited already (the retry gets a 409).
        return try await send(call, body: try encoder.encode(body), idempotent: false, as: WireOrgUser.self).user
    }

    public func removeOrgUser(orgId: String, userId: String) async throws -> APICall {
        let call = APICall.removeOrgUser(orgId: orgId, userId: userId)
        try Self.requireIds([orgId, userId], call: call)
        let request = APIRequest(
            call: call, path: "/api/atlas/v2" + call.path, accept: call.version.mediaType, contentType: nil,
            body: nil, isIdempotent: false)
        // 204 No Content: nothing to decode. Not retried after a 5xx or a reset: a DELETE that did arrive
        // would be answered 404 the second time, reported as a refusal of a removal that happened. The
        // run's retry re-reads the user first instead, and finds it gone: done.
        try await executor.send(request, authorizer: authorizer) { _ in () }
        return call
    }

    public func listProjects(orgId: String) async throws -> [Project] {
        try Self.requireIds([orgId], call: APICall(method: "GET", path: "/orgs/\(orgId)/groups", version: .v20230101))
        return try await allPages(path: "/orgs/\(orgId)/groups", version: .v20230101, as: WireProject.self)
            .map(\.project)
    }

    /// Refuses, before anything is sent, an id that is not 24 hex digits: it would become part of a path.
    private static func requireIds(_ ids: [String], call: APICall) throws {
        for id in ids where !AtlasID.isValid(id) {
            throw AtlasError(
                .configuration("not an Atlas id (24 hex digits): \(SafeText.sanitized(String(id.prefix(80))))"),
                call: call)
        }
    }
}

/// `OrgUserRequest`: only the fields this program sets (no project roles).
private struct InvitationBody: Encodable {
    struct Roles: Encodable { var orgRoles: [String] }
    var username: String
    var roles: Roles
    var teamIds: [String]?
}

/// A project as the API sends it (`Group`): only id and name are read.
struct WireProject: Decodable, Sendable {
    var project: Project

    private enum CodingKeys: String, CodingKey { case id, name }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        project = Project(
            id: try c.decodeAtlasID(forKey: .id), name: (try? c.decodeIfPresent(String.self, forKey: .name)) ?? "")
    }
}
