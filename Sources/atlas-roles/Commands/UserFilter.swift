import AtlasAPI
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `list` filters, read as the screen's filter so that `list` and the screen select and order the
/// same users: `--search` is what one would type after `/` (words over email and name, case- and
/// accent-insensitive, and `role:`/`status:` terms), each `--role` adds a `role:` term and each
/// `--status` a `status:` term.
///
/// ```swift
/// UserFilter(roles: [.owner], search: "zoe").queries  // [FilterQuery("zoe role:ORG_OWNER")]
/// ```
struct UserFilter: Sendable {
    var roles: [OrgRole] = []
    var statuses: [MembershipStatus] = []
    var search: String?

    /// The screen's queries this filter stands for; a user matching any of them is listed. One per
    /// `--status`, since a user has one status and the flag's values are alternatives; each holds the
    /// search and every `--role`, which must all hold.
    var queries: [FilterQuery] {
        // Full role and status names: as terms they match that role or status and no other.
        let common = ([search ?? ""] + roles.map { "role:\($0.rawValue)" }).joined(separator: " ")
        if statuses.isEmpty { return [FilterQuery(common)] }
        return statuses.map { FilterQuery(common + " status:\($0.rawValue)") }
    }

    /// The rows of `store` this filter selects, in the screen's email order.
    func selectedRows(in store: UserStore) -> [Int] {
        let queries = self.queries
        if queries.count == 1 { return store.sortedRows(matching: queries[0], in: .email) }
        let everyone = Array(store.indices)
        var rows = queries.flatMap { store.rows(everyone, matching: $0) }
        rows.sort { store.precedes($0, $1, in: .email) }
        // A status this program does not know could contain two of the names; such a user is listed once.
        var previous: Int?
        return rows.filter { row in
            defer { previous = row }
            return row != previous
        }
    }
}
