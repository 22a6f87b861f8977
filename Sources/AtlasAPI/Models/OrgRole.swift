/// An organization role, kept as the API's string so a role Atlas adds later never breaks the list.
///
/// The seven roles this program knows are static members; any other string from the server
/// survives a round trip unchanged and is reported as unknown (`isKnown == false`).
///
/// ```swift
/// let roles: Set<OrgRole> = [.owner, OrgRole(rawValue: "ORG_NEW_THING")]
/// ```
public struct OrgRole: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let owner = OrgRole(rawValue: "ORG_OWNER")
    public static let member = OrgRole(rawValue: "ORG_MEMBER")
    public static let groupCreator = OrgRole(rawValue: "ORG_GROUP_CREATOR")
    public static let billingAdmin = OrgRole(rawValue: "ORG_BILLING_ADMIN")
    public static let billingReadOnly = OrgRole(rawValue: "ORG_BILLING_READ_ONLY")
    public static let streamProcessingAdmin = OrgRole(rawValue: "ORG_STREAM_PROCESSING_ADMIN")
    public static let readOnly = OrgRole(rawValue: "ORG_READ_ONLY")

    /// The seven roles in the order a checklist shows them: most privileged first.
    public static let known: [OrgRole] = [
        .owner, .member, .groupCreator, .billingAdmin, .billingReadOnly, .streamProcessingAdmin, .readOnly,
    ]

    public var isKnown: Bool { Self.known.contains(self) }

    /// Roles whose privileges this role already includes (Owner holds every other role's privileges;
    /// Group Creator, Billing Admin and Billing Read Only include Organization Member's).
    public var impliedRoles: Set<OrgRole> {
        switch self {
        case .owner: Set(Self.known.filter { $0 != .owner })
        case .groupCreator, .billingAdmin, .billingReadOnly: [.member]
        default: []
        }
    }

    /// A short human label: `ORG_BILLING_ADMIN` → `Billing Admin`.
    public var displayName: String {
        switch self {
        case .owner: "Owner"
        case .member: "Member"
        case .groupCreator: "Group Creator"
        case .billingAdmin: "Billing Admin"
        case .billingReadOnly: "Billing Read Only"
        case .streamProcessingAdmin: "Stream Processing Admin"
        case .readOnly: "Read Only"
        default: rawValue
        }
    }

    public var description: String { rawValue }

    /// Known roles in checklist order, then unknown ones alphabetically.
    public static func < (lhs: OrgRole, rhs: OrgRole) -> Bool {
        let l = known.firstIndex(of: lhs) ?? Int.max
        let r = known.firstIndex(of: rhs) ?? Int.max
        return l != r ? l < r : lhs.rawValue < rhs.rawValue
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
