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
/// `OrgUser`s and its indexes were most of `list`'s 200 MB. An `OrgUser` is built only while one
/// user is filtered, printed or changed.
struct UserDirectory: Sendable {
    /// Every user once, in arrival order (a later duplicate id replaced the earlier user).
    private(set) var store: UserStore

    init(store: UserStore) {
        self.store = store
    }

    /// Reads every page of `orgId`'s users.
    static func load(from service: any AtlasService, orgId: String) async throws -> UserDirectory {
        var store = UserStore()
        for try await page in service.orgUsers(orgId: orgId) {
            for user in page.users {
                if let index = store.index(ofId: user.id) {
                    store.replace(at: index, with: user)
                } else {
                    store.append(user)
                }
            }
            // Each buffer allocated once for the whole organization rather than doubled as pages
            // arrive (a doubling holds both copies: 29 MB of `list`'s peak at 100,000 users). After
            // the page, not before, so the byte buffers are sized from real users, not a guess.
            if let total = page.totalCount { store.reserveCapacity(total) }
        }
        return UserDirectory(store: store)
    }

    /// Row numbers of the users for which `isIncluded` holds, sorted by email (case-insensitive), then id
    /// (pages may arrive in any order).
    func sortedRows(where isIncluded: (OrgUser) -> Bool = { _ in true }) -> [Int] {
        var rows: [Int] = []
        // Each email lowercased once, its bytes kept back to back rather than as 100,000 Strings
        // (9 MB of `list`'s peak), and row numbers sorted rather than whole users moved.
        var keys: [UInt8] = []
        var keyEnds: [Int] = []
        var isASCII: [Bool] = []
        for row in store.indices {
            let user = store[row]
            guard isIncluded(user) else { continue }
            rows.append(row)
            let email = user.username.lowercased()
            keys.append(contentsOf: email.utf8)
            keyEnds.append(keys.count)
            isASCII.append(email.utf8.allSatisfy { $0 < 0x80 })
        }
        let order = keys.withUnsafeBufferPointer { keys in
            func key(_ position: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: keys[(position == 0 ? 0 : keyEnds[position - 1])..<keyEnds[position]])
            }
            /// -1, 0 or 1 as String's `<` and `==` order the two emails.
            func compareEmails(_ left: Int, _ right: Int) -> Int {
                let (a, b) = (key(left), key(right))
                guard isASCII[left] && isASCII[right] else {
                    // String compares canonically equivalent text as equal; only ASCII is safe as bytes.
                    let (x, y) = (String(decoding: a, as: UTF8.self), String(decoding: b, as: UTF8.self))
                    return x < y ? -1 : x == y ? 0 : 1
                }
                for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
                return a.count < b.count ? -1 : a.count == b.count ? 0 : 1
            }
            return rows.indices.sorted { left, right in
                let order = compareEmails(left, right)
                return order != 0 ? order < 0 : store.id(at: rows[left]) < store.id(at: rows[right])
            }
        }
        return order.map { rows[$0] }
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
