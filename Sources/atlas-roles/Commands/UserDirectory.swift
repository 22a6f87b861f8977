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
        let candidates = Array(unique.values)
        // Each email lowercased once, and indices sorted rather than whole users moved: with 10,000
        // users the sort was a sixth of `list`'s time, all of it after the last page arrived.
        let emails = candidates.map { $0.username.lowercased() }
        let order = candidates.indices.sorted { (emails[$0], candidates[$0].id) < (emails[$1], candidates[$1].id) }
        self.users = order.map { candidates[$0] }
        byId = Dictionary(uniqueKeysWithValues: self.users.enumerated().map { ($1.id, $0) })
        byEmail = Dictionary(order.enumerated().map { (emails[$1], $0) }) { first, _ in first }
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
