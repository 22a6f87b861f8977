#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The client's readers of response bodies, exactly as the client uses them, as one public surface:
/// the fuzzers feed them arbitrary bytes (and anything else that must read a body as the client would
/// can use them).
public enum ResponseDecoding {
    /// A page of `listOrgUsers` in `version` (2025-02-19 or 2023-01-01) for organization `orgId`.
    public static func usersPage(_ body: Data, version: APIVersion, orgId: String) throws -> UserPage {
        let page = try usersPageContents(body, version: version, orgId: orgId)
        _ = page.nextLink.map(OrgUserLoader.queryItems(of:))
        return UserPage(
            users: page.users, pageNumber: 1, loadedCount: page.users.count, totalCount: page.totalCount)
    }

    /// What one `listOrgUsers` page holds, read from either version's body; the loader reads every
    /// page through this.
    struct UsersPageContents: Sendable {
        var users: [OrgUser]
        var totalCount: Int?
        var nextLink: String?
    }

    static func usersPageContents(_ body: Data, version: APIVersion, orgId: String) throws -> UsersPageContents {
        if version == .v20230101 {
            // 2023-01-01 lists every role of the user; the organization's are those naming its id.
            let page = try JSONDecoder().decode(WirePage<WireCloudAppUser>.self, from: body)
            return UsersPageContents(
                users: page.results.map { $0.user(inOrganization: orgId) }, totalCount: page.totalCount,
                nextLink: page.nextLink)
        }
        let page = try JSONDecoder().decode(WirePage<WireOrgUser>.self, from: body)
        return UsersPageContents(users: page.results.map(\.user), totalCount: page.totalCount, nextLink: page.nextLink)
    }

    /// An error answer as the client turns it into an ``AtlasError``: the envelope when the body is
    /// one, the body's sanitized excerpt otherwise.
    public static func error(status: Int, body: Data) -> AtlasError {
        let call = APICall(method: "GET", path: "/orgs", version: .v20230101)
        if let envelope = try? JSONDecoder().decode(APIErrorEnvelope.self, from: body) {
            return AtlasError(.api(status: status, envelope: envelope), call: call)
        }
        return AtlasError(
            .httpStatus(status: status, bodyExcerpt: ResponseErrors.excerpt(body, redactor: SecretRedactor())),
            call: call)
    }
}
