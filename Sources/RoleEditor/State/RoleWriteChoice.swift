import AtlasAPI

/// Which call writes a user's roles: the PUT for ACTIVE users unless the PATCH is preferred, the PATCH
/// for invitations, and the PATCH for everyone once the PUT answered 410 VERSION_GONE.
///
/// A value of its own so that the screen and `atlas-roles set` decide the same way without sharing
/// anything else.
///
/// ```swift
/// RoleWriteChoice(preferred: .putRoles).method(for: .pending)  // .patchUser
/// ```
public struct RoleWriteChoice: Hashable, Sendable {
    /// The write used for ACTIVE users until the PUT is gone.
    public var preferred: RoleWriteMethod
    /// The PUT answered 410 VERSION_GONE: every write uses the PATCH from now on.
    public var switchedToPatch: Bool

    public init(preferred: RoleWriteMethod = .putRoles, switchedToPatch: Bool = false) {
        self.preferred = preferred
        self.switchedToPatch = switchedToPatch
    }

    /// The write for a user of membership `status`.
    public func method(for status: MembershipStatus) -> RoleWriteMethod {
        if status != .active || switchedToPatch { return .patchUser }
        return preferred
    }
}
