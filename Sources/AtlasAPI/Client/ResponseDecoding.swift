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

    /// Where the byte reader of users pages and `JSONDecoder` (the reference) part on `body`: nil when
    /// they agree (the reader left the body to `JSONDecoder`, or read the same users, count and next
    /// link, byte for byte), else what differs. The fuzzer and the tests hold the reader to this.
    public static func usersPageDisagreement(_ body: Data, version: APIVersion, orgId: String) -> String? {
        guard let read = UsersPageReader.contents(of: body, version: version, orgId: orgId) else { return nil }
        let expected: UsersPageContents
        do {
            expected = try usersPageContentsByJSONDecoder(body, version: version, orgId: orgId)
        } catch {
            return "the reader read a page JSONDecoder refuses: \(error)"
        }
        let (readLines, expectedLines) = (read.fingerprint, expected.fingerprint)
        guard readLines != expectedLines else { return nil }
        let line =
            readLines.indices.first { $0 >= expectedLines.count || readLines[$0] != expectedLines[$0] }
            ?? readLines.count
        let readLine = line < readLines.count ? readLines[line] : "(nothing)"
        let expectedLine = line < expectedLines.count ? expectedLines[line] : "(nothing)"
        return "the reader read \(readLine) where JSONDecoder read \(expectedLine)"
    }

    /// What one `listOrgUsers` page holds, read from either version's body; the loader reads every
    /// page through this.
    struct UsersPageContents: Sendable {
        var users: [OrgUser]
        var totalCount: Int?
        var nextLink: String?

        /// Every value of the page, strings as their UTF-8 bytes (String's `==` would equate canonically
        /// equivalent texts) and dates as their bits, roles sorted, one line per field.
        var fingerprint: [String] {
            func bytes(_ text: String?) -> String { text.map { "\(Array($0.utf8))" } ?? "nil" }
            func bits(_ date: Date?) -> String {
                date.map { "\($0.timeIntervalSinceReferenceDate.bitPattern)" } ?? "nil"
            }
            var lines = ["totalCount \(totalCount.map(String.init) ?? "nil")", "nextLink \(bytes(nextLink))"]
            for (position, user) in users.enumerated() {
                let roles = user.orgRoles.map { Array($0.rawValue.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
                lines += [
                    "user \(position) id \(bytes(user.id))", "user \(position) username \(bytes(user.username))",
                    "user \(position) firstName \(bytes(user.firstName))",
                    "user \(position) lastName \(bytes(user.lastName))",
                    "user \(position) status \(bytes(user.status.rawValue)) \(user.status)",
                    "user \(position) orgRoles \(roles)",
                    "user \(position) teamIds \(user.teamIds.map { Array($0.utf8) })",
                    "user \(position) country \(bytes(user.country))",
                    "user \(position) createdAt \(bits(user.createdAt))",
                    "user \(position) lastAuth \(bits(user.lastAuth))",
                    "user \(position) invitationCreatedAt \(bits(user.invitationCreatedAt))",
                    "user \(position) invitationExpiresAt \(bits(user.invitationExpiresAt))",
                    "user \(position) inviterUsername \(bytes(user.inviterUsername))",
                    "user \(position) projectRoles \(user.projectRoles.map { [Array($0.projectId.utf8)] + $0.roles.map { Array($0.utf8) } })",
                ]
            }
            return lines
        }
    }

    static func usersPageContents(_ body: Data, version: APIVersion, orgId: String) throws -> UsersPageContents {
        if let contents = UsersPageReader.contents(of: body, version: version, orgId: orgId) { return contents }
        return try usersPageContentsByJSONDecoder(body, version: version, orgId: orgId)
    }

    /// The reference reading of a page, through the Codable wire models: the reader above must agree with
    /// it, and leaves to it every body it is not sure of.
    static func usersPageContentsByJSONDecoder(
        _ body: Data, version: APIVersion, orgId: String
    ) throws -> UsersPageContents {
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
