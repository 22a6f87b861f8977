import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The reference matcher: one user's folded search text and the `role:`/`status:` rules, stated plainly.
/// The list's hot loop gets the same answers from ``UserStore``'s flat buffer and bit codes instead.
struct UserSearchKeys: Sendable {
    /// Folded `email \u{1} first last`: the text terms search this.
    var text: [UInt8]

    init(_ user: OrgUser) {
        let (email, name) = Self.foldedParts(of: user)
        text = email + [1] + name
    }

    /// The folded email and display name (empty when there is none): the text search and the email and
    /// name sorts all read these, so ``UserStore`` folds through here too.
    static func foldedParts(of user: OrgUser) -> (email: [UInt8], name: [UInt8]) {
        (TextFolding.folded(user.username), user.displayName.map(TextFolding.folded) ?? [])
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

/// The `role:` and `status:` terms of a query decided once for every known role and status, so that
/// filtering 100,000 users tests two bit masks per user instead of folding and hashing role names.
struct NonTextTermMasks {
    /// One mask per `role:` term: the known roles it matches (the user must hold one of each).
    var roleTerms: [UInt8] = []
    /// The known statuses every `status:` term matches.
    var statuses: UInt8 = 0xFF

    init(_ query: FilterQuery) {
        for term in query.terms {
            var single = FilterQuery("")
            single.terms = [term]
            switch term {
            case .text:
                continue
            case .role:
                var mask: UInt8 = 0
                for (bit, role) in OrgRole.known.enumerated()
                where UserSearchKeys.matchesNonText(single, roles: [role], status: .active) {
                    mask |= 1 << bit
                }
                roleTerms.append(mask)
            case .status:
                var mask: UInt8 = 0
                for (bit, status) in UserStore.knownStatuses.enumerated()
                where UserSearchKeys.matchesNonText(single, roles: [], status: status) {
                    mask |= 1 << bit
                }
                statuses &= mask
            }
        }
    }

    /// The verdict for a user whose roles and status are all known (see ``UserStore/needsReferenceMatch(_:)``).
    func matches(roleBits: UInt8, statusBit: UInt8) -> Bool {
        if statusBit & statuses == 0 { return false }
        for mask in roleTerms where roleBits & mask == 0 { return false }
        return true
    }
}

extension String {
    /// "Billing Admin" → "billing_admin" style, so `role:billing_admin` and `role:billingadmin` both work.
    fileprivate func replacingSpaces() -> String { split(separator: " ").joined() }
}
