/// Where a user stands in the organization (`orgMembershipStatus` in the 2025-02-19 API).
///
/// Unknown values from the server are kept as `.other` rather than failing the whole list.
public enum MembershipStatus: Hashable, Sendable, Codable, CustomStringConvertible {
    case active
    case pending
    case invitationExpired
    case invitationRejected
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "ACTIVE": self = .active
        case "PENDING": self = .pending
        case "INVITATION_EXPIRED": self = .invitationExpired
        case "INVITATION_REJECTED": self = .invitationRejected
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .active: "ACTIVE"
        case .pending: "PENDING"
        case .invitationExpired: "INVITATION_EXPIRED"
        case .invitationRejected: "INVITATION_REJECTED"
        case .other(let value): value
        }
    }

    /// Anything but ACTIVE is an invitation that has not been accepted (yet).
    public var isInvitation: Bool { self != .active }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
