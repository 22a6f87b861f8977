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

    /// Adds `user`, or replaces the user of the same id.
    mutating func include(_ user: OrgUser) {
        _ = store.upsert(user)
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

    /// Finds each user `references` names, in order and once each; every reference must match, or the
    /// command stops with a usage error (exit 2) naming the ones that did not, with the nearest emails
    /// for a typo. An id not in the list (a user who joined since) is asked for directly.
    func resolve(_ references: [String], service: any AtlasService, orgId: String) async throws -> [OrgUser] {
        let loaded = users(matching: references)
        var found: [OrgUser] = []
        var foundIds: Set<String> = []
        var missing: [String] = []
        for reference in references {
            var user = loaded[reference]
            if user == nil, ConfigurationResolver.isAtlasId(reference) {
                do {
                    user = try await service.orgUser(orgId: orgId, userId: reference)
                } catch let error as AtlasError where error.status == 404 {
                    user = nil
                }
            }
            if let user {
                if foundIds.insert(user.id).inserted { found.append(user) }
            } else {
                missing.append(SafeText.sanitized(reference))
            }
        }
        guard missing.isEmpty else { throw unknownUsers(missing, orgId: orgId) }
        return found
    }

    /// Names at most a screenful of the missing references, and suggests emails for the first few: a
    /// list piped in from elsewhere may miss by thousands, and each suggestion reads every email.
    private func unknownUsers(_ missing: [String], orgId: String) -> CommandFailure {
        let named = 20
        let suggested = 5
        var message =
            "no such user in organization \(orgId): \(missing.prefix(named).joined(separator: ", "))"
            + (missing.count > named ? " and \(missing.count - named) more" : "") + "; nothing was changed"
        let emails = store.lazy.map(\.username)
        for reference in missing.lazy.filter({ !ConfigurationResolver.isAtlasId($0) }).prefix(suggested) {
            let near = RoleSpelling.closest(to: reference, among: emails).map { SafeText.sanitized($0) }
            if !near.isEmpty { message += "\n  \(reference): did you mean \(near.joined(separator: ", "))?" }
        }
        return CommandFailure(.usageOrConfiguration, message)
    }
}
