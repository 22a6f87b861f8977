/// The seven organization roles, as the wire spells them. Plain strings: the sandbox shares no
/// model code with the client, so a typo on either side shows up as a test failure.
enum OrgRoleName {
    /// Every role in the order the sandbox lists them in bodies.
    static let all = [
        "ORG_OWNER", "ORG_MEMBER", "ORG_GROUP_CREATOR", "ORG_BILLING_ADMIN", "ORG_BILLING_READ_ONLY",
        "ORG_STREAM_PROCESSING_ADMIN", "ORG_READ_ONLY",
    ]
    static let owner = "ORG_OWNER"

    private static let rank: [String: Int] = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })

    /// Whether `name` is one of the seven roles.
    static func isKnown(_ name: String) -> Bool {
        rank[name] != nil
    }

    /// Known roles in canonical order, each once.
    static func canonical(_ roles: some Sequence<String>) -> [String] {
        Set(roles).filter(isKnown).sorted { rank[$0]! < rank[$1]! }
    }
}
