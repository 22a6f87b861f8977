import AtlasSandbox
import Foundation

/// Shared look-ups the tests reach for.
enum Fixtures {
    static let versionedJSON2023 = "application/vnd.atlas.2023-01-01+json;charset=utf-8"
    static let versionedJSON2025 = "application/vnd.atlas.2025-02-19+json;charset=utf-8"

    /// The fixed users every generated organization has: 0 owner, 1 PENDING, 2 expired, 3 second owner.
    static func fixedUsers(_ sandbox: AtlasSandbox, org: Int = 0) async -> (
        orgId: String, owner: String, pending: String, expired: String, secondOwner: String
    ) {
        let orgId = sandbox.organizations[org].id
        let ids = await sandbox.userIds(orgId: orgId)
        return (orgId, ids[0], ids[1], ids[2], ids[3])
    }

    /// An ACTIVE user holding exactly ORG_MEMBER (not one of the fixed four).
    static func plainMember(_ sandbox: AtlasSandbox, org: Int = 0) async -> String {
        let orgId = sandbox.organizations[org].id
        for id in await sandbox.userIds(orgId: orgId).dropFirst(4) {
            if let user = await sandbox.user(orgId: orgId, userId: id), user.orgMembershipStatus == "ACTIVE",
                user.orgRoles == ["ORG_MEMBER"]
            {
                return id
            }
        }
        fatalError("the generator always makes plain members in a 60-user organization")
    }
}
