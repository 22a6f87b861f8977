/// Where a user stands in an organization (`orgMembershipStatus`).
enum MembershipStatus: String, CaseIterable, Sendable {
    case pending = "PENDING"
    case active = "ACTIVE"
    case invitationExpired = "INVITATION_EXPIRED"
    case invitationRejected = "INVITATION_REJECTED"
}
