import AtlasAPI
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `list` filters, read as the screen's filter so that `list` and the screen select and order the
/// same users: `--search` is what one would type after `/` (the query language of ``FilterQuery``),
/// the `--role` values become one `role:a,b` term (any of them; each its own term, so all of them,
/// with `--all-roles`) and the `--status` values one `status:a,b` term.
///
/// ```swift
/// UserFilter(roles: [.owner], search: "zoe").queryText  // "zoe role:ORG_OWNER"
/// ```
struct UserFilter: Sendable {
    var roles: [OrgRole] = []
    var statuses: [MembershipStatus] = []
    var search: String?
    /// Every `--role` must be held, rather than any of them.
    var requiresAllRoles = false

    /// The filter text the screen would be given for the same selection.
    var queryText: String {
        var words = search.map { [$0] } ?? []
        if !roles.isEmpty {
            let names = roles.map(\.rawValue)
            words += requiresAllRoles ? names.map { "role:" + $0 } : ["role:" + names.joined(separator: ",")]
        }
        if !statuses.isEmpty { words.append("status:" + statuses.map(\.rawValue).joined(separator: ",")) }
        return words.joined(separator: " ")
    }

    /// The parsed filter, dates counted from `now`.
    func query(now: Date) -> FilterQuery { FilterQuery(queryText, now: now) }

    /// The rows of `store` this filter selects, in the screen's email order.
    func selectedRows(in store: UserStore, now: Date) -> [Int] {
        store.sortedRows(matching: query(now: now), in: .email)
    }
}
