/// A generated organization as a test or the CLI sees it.
public struct SandboxOrganizationSummary: Sendable, Equatable {
    /// 24 lowercase hex digits.
    public let id: String
    /// The organization's name.
    public let name: String
    /// How many users (of every status) it holds.
    public let userCount: Int
}

/// One user of a generated organization as the server holds it now.
public struct SandboxUserSummary: Sendable, Equatable {
    /// 24 lowercase hex digits.
    public let id: String
    /// The email address.
    public let username: String
    /// Given name (may hold any script, emoji or, with `hostileText`, control characters).
    public let firstName: String
    /// Family name.
    public let lastName: String
    /// `ACTIVE`, `PENDING`, `INVITATION_EXPIRED` or `INVITATION_REJECTED`.
    public let orgMembershipStatus: String
    /// Organization roles, in the sandbox's canonical order.
    public let orgRoles: [String]
    /// Team ids.
    public let teamIds: [String]

    init(_ user: SandboxUser) {
        id = user.id
        username = user.username
        firstName = user.firstName
        lastName = user.lastName
        orgMembershipStatus = user.status.rawValue
        orgRoles = user.orgRoles
        teamIds = user.teamIds
    }
}
