import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One user's folded search text, as ``FilterQuery/matches(_:)`` reads it; the list's hot loop reads
/// the same text from ``UserStore``'s flat buffer instead.
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
}
