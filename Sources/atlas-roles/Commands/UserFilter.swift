import AtlasAPI
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `list` filters: every given role held, any given status, and a substring of email or name.
struct UserFilter: Sendable {
    var roles: [OrgRole] = []
    var statuses: [MembershipStatus] = []
    var search: String?

    func matches(_ user: OrgUser) -> Bool {
        if !roles.allSatisfy(user.orgRoles.contains) { return false }
        if !statuses.isEmpty && !statuses.contains(user.status) { return false }
        if let search, !search.isEmpty {
            // Case- and accent-insensitive, folded as the UI's filter folds: "zoe" finds "Zoë".
            let needle = TextFolding.folded(search)
            let inEmail = TextFolding.contains(TextFolding.folded(user.username), needle)
            let inName = user.displayName.map { TextFolding.contains(TextFolding.folded($0), needle) } ?? false
            if !inEmail && !inName { return false }
        }
        return true
    }
}
