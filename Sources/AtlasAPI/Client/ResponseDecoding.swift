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
        if version == .v20230101 {
            let page = try JSONDecoder().decode(WirePage<WireCloudAppUser>.self, from: body)
            return UserPage(
                users: page.results.map { $0.user(inOrganization: orgId) }, pageNumber: 1,
                loadedCount: page.results.count, totalCount: page.totalCount)
        }
        let page = try JSONDecoder().decode(WirePage<WireOrgUser>.self, from: body)
        _ = page.nextLink.map(OrgUserLoader.queryItems(of:))
        return UserPage(
            users: page.results.map(\.user), pageNumber: 1, loadedCount: page.results.count,
            totalCount: page.totalCount)
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
