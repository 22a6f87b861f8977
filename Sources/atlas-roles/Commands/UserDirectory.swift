import AtlasAPI
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Every user of an organization, loaded page by page, and the look-ups the commands need.
///
/// Users are kept in a column ``UserStore``, not an `[OrgUser]`: at 100,000 users an array of
/// `OrgUser`s and its indexes were most of `list`'s memory. An `OrgUser` is built only while one
/// user is printed or changed; the filter and the sort read the store's columns.
struct UserDirectory: Sendable {
    /// Every user once, in arrival order (a later duplicate id replaced the earlier user).
    private(set) var store: UserStore

    init(store: UserStore) {
        self.store = store
    }

    /// Reads every page of `orgId`'s users, telling `onPage` as each arrives.
    static func load(
        from service: any AtlasService, orgId: String, onPage: (UserPage) -> Void = { _ in }
    ) async throws -> UserDirectory {
        var store = UserStore()
        for try await page in service.orgUsers(orgId: orgId) {
            for user in page.users { store.upsert(user) }
            onPage(page)
            // Each buffer allocated once for the whole organization rather than doubled as pages
            // arrive (a doubling briefly holds both copies, which is what sets the peak). After
            // the page, not before, so the byte buffers are sized from real users, not a guess.
            if let total = page.totalCount { store.reserveCapacity(total) }
        }
        return UserDirectory(store: store)
    }

    /// The users `references` name, by reference: a 24-hex id, or an email (case-insensitive, as
    /// Atlas treats logins; of two logins differing only in case, the one with the smaller id). A
    /// reference that names nobody loaded has no entry.
    func users(matching references: [String]) -> [String: OrgUser] {
        var found: [String: OrgUser] = [:]
        var byEmail: [String: [String]] = [:]
        for reference in references {
            if ConfigurationResolver.isAtlasId(reference), let index = store.index(ofId: reference) {
                found[reference] = store[index]
            } else {
                byEmail[reference.lowercased(), default: []].append(reference)
            }
        }
        guard !byEmail.isEmpty else { return found }
        // One pass over the store instead of an email index that `list` would build for nothing.
        var best: [String: OrgUser] = [:]
        for index in store.indices {
            let user = store[index]
            let email = user.username.lowercased()
            guard byEmail[email] != nil else { continue }
            if let current = best[email], current.id <= user.id { continue }
            best[email] = user
        }
        for (email, user) in best {
            for reference in byEmail[email] ?? [] { found[reference] = user }
        }
        return found
    }
}
