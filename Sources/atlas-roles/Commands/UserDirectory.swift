import AtlasAPI
import Foundation

/// Every user of an organization, loaded page by page, and the look-ups the commands need.
struct UserDirectory: Sendable {
    /// Users sorted by email (pages may arrive in any order).
    var users: [OrgUser]
    private var byId: [String: Int]
    private var byEmail: [String: Int]

    init(users: [OrgUser]) {
        var unique: [String: OrgUser] = [:]
        for user in users { unique[user.id] = user }
        self.users = unique.values.sorted { ($0.username.lowercased(), $0.id) < ($1.username.lowercased(), $1.id) }
        byId = Dictionary(uniqueKeysWithValues: self.users.enumerated().map { ($1.id, $0) })
        byEmail = Dictionary(self.users.enumerated().map { ($1.username.lowercased(), $0) }) { first, _ in first }
    }

    /// Reads every page of `orgId`'s users.
    static func load(from service: any AtlasService, orgId: String) async throws -> UserDirectory {
        var users: [OrgUser] = []
        for try await page in service.orgUsers(orgId: orgId) {
            users.append(contentsOf: page.users)
        }
        return UserDirectory(users: users)
    }

    /// A user by 24-hex id or by email (case-insensitive, as Atlas treats logins).
    func user(matching reference: String) -> OrgUser? {
        if ConfigurationResolver.isAtlasId(reference), let index = byId[reference] { return users[index] }
        return byEmail[reference.lowercased()].map { users[$0] }
    }
}
