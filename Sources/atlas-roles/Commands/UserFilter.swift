import AtlasAPI
import Foundation

/// The `list` filters: every given role held, any given status, and a substring of email or name.
struct UserFilter: Sendable {
    var roles: [OrgRole] = []
    var statuses: [MembershipStatus] = []
    var search: String?

    func matches(_ user: OrgUser) -> Bool {
        if !roles.allSatisfy(user.orgRoles.contains) { return false }
        if !statuses.isEmpty && !statuses.contains(user.status) { return false }
        if let search, !search.isEmpty {
            // Case- and accent-insensitive, like the UI's filter: "zoe" finds "Zoë".
            let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
            let inEmail = user.username.range(of: search, options: options) != nil
            let inName = user.displayName?.range(of: search, options: options) != nil
            if !inEmail && !inName { return false }
        }
        return true
    }
}
