import AtlasAPI
import AtlasSandbox
import Foundation
import Testing

@testable import atlas_roles

/// A service whose role writes reach the server but whose answers are lost: the server applies the write
/// and answers 2xx, and the body that comes back cannot be read (a proxy's HTML page, a cut stream).
struct UnreadableWriteAnswers: AtlasService {
    let inner: any AtlasService

    func listOrganizations() async throws -> [Organization] { try await inner.listOrganizations() }
    func organization(id: String) async throws -> Organization { try await inner.organization(id: id) }
    func orgUsers(orgId: String) -> AsyncThrowingStream<UserPage, any Error> { inner.orgUsers(orgId: orgId) }
    func orgUser(orgId: String, userId: String) async throws -> OrgUser {
        try await inner.orgUser(orgId: orgId, userId: userId)
    }
    func events() -> AsyncStream<ServiceEvent> { inner.events() }

    func writeOrgRoles(orgId: String, userId: String, roles: Set<OrgRole>, method: RoleWriteMethod) async throws
        -> RoleWriteResult
    {
        let written = try await inner.writeOrgRoles(orgId: orgId, userId: userId, roles: roles, method: method)
        throw AtlasError(
            .malformedResponse(status: 200, message: "not JSON", bodyExcerpt: "<html>Gateway</html>"),
            call: written.call)
    }
}

@Suite struct UnreadableWriteAnswerTests {
    /// The journal's entries for `userId`, as JSON objects.
    private func journalEntries(_ harness: CommandHarness, userId: String) throws -> [[String: Any]] {
        let journal = harness.directory.appendingPathComponent("state/atlas-roles/journal-\(harness.orgId).jsonl")
        return try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["userId"] as? String == userId }
    }

    @Test func aWriteAnswered2xxWithAnUnreadableBodyIsAppliedOnceAReadConfirmsIt() async throws {
        try await withHarness { harness in
            let user = try #require(
                await harness.users().first {
                    $0.orgMembershipStatus == "ACTIVE" && !$0.orgRoles.contains("ORG_OWNER")
                        && !$0.orgRoles.contains("ORG_BILLING_ADMIN")
                })
            let result = try await harness.run(
                ["set", user.id, "--add", "ORG_BILLING_ADMIN", "--yes"],
                makeService: { UnreadableWriteAnswers(inner: try ServiceFactory.makeClient($0)) })
            #expect(result.status == .success, "\(result.out)\(result.err)")
            #expect(result.out.contains("applied 1 of 1"), "\(result.out)")
            // Journaled as applied, with the roles the read found, so `J` can take it back.
            let outcomes = try journalEntries(harness, userId: user.id).compactMap { $0["outcome"] as? String }
            #expect(outcomes == ["intent", "applied"], "\(outcomes)")
            let applied = try #require(try journalEntries(harness, userId: user.id).last)
            #expect(applied["confirmedByReread"] as? Bool == true)
            #expect(Set(applied["after"] as? [String] ?? []) == Set(user.orgRoles + ["ORG_BILLING_ADMIN"]))
        }
    }
}
