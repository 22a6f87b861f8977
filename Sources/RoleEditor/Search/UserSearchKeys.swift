import AtlasAPI
import Foundation

/// What filtering and sorting need of one user, folded once when the user arrives, never per keystroke.
struct UserSearchKeys: Sendable {
    /// Folded `email \u{1} first last`: the text terms search this.
    var text: [UInt8]
    var email: [UInt8]
    /// Folded display name, empty when the user has none (invitations).
    var name: [UInt8]
    /// Position of the most privileged role held (see ``UserListState/roleRank(_:)``), for the roles sort.
    var roleRank: Int
    /// Seconds since 1970 of the last login, `-infinity` when never: most recent first sorts descending.
    var lastAuth: Double

    init(_ user: OrgUser) {
        email = TextFolding.folded(user.username)
        name = user.displayName.map(TextFolding.folded) ?? []
        text = email + [1] + name
        roleRank = UserListState.roleRank(user.orgRoles)
        lastAuth = user.lastAuth?.timeIntervalSince1970 ?? -.infinity
    }

    /// Folded names of every known role and status, computed once: role terms compare against these.
    static let roleKeys: [OrgRole: [[UInt8]]] = Dictionary(
        uniqueKeysWithValues: OrgRole.known.map { role in
            (role, [TextFolding.folded(role.rawValue), TextFolding.folded(role.displayName.replacingSpaces())])
        })

    /// The reference matcher: every term against this user. The list's hot loop searches a flat
    /// buffer of the same text instead, and asks ``matchesNonText(_:roles:status:)`` for the rest.
    func matches(_ query: FilterQuery, roles: Set<OrgRole>, status: MembershipStatus) -> Bool {
        for case .text(let needle) in query.terms where !TextFolding.contains(text, needle) { return false }
        return Self.matchesNonText(query, roles: roles, status: status)
    }

    /// The `role:` and `status:` terms of `query` against a user's roles and status.
    static func matchesNonText(_ query: FilterQuery, roles: Set<OrgRole>, status: MembershipStatus) -> Bool {
        for term in query.terms {
            switch term {
            case .text:
                continue
            case .role(let needle):
                let hit = roles.contains { role in
                    let keys = Self.roleKeys[role] ?? [TextFolding.folded(role.rawValue)]
                    return keys.contains { TextFolding.contains($0, needle) }
                }
                if !hit { return false }
            case .status(let needle):
                if !TextFolding.contains(TextFolding.folded(status.rawValue), needle) { return false }
            }
        }
        return true
    }
}

extension String {
    /// "Billing Admin" → "billing_admin" style, so `role:billing_admin` and `role:billingadmin` both work.
    fileprivate func replacingSpaces() -> String { split(separator: " ").joined() }
}
