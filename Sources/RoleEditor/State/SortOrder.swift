/// How the user list is ordered; `.cycleSort` goes through them in this order.
public enum SortOrder: String, CaseIterable, Hashable, Sendable {
    case email
    case name
    /// Most recent login first; users who never logged in last.
    case lastLogin
    /// Most privileged role first (Owner, then Member, ...), then by email.
    case roles

    /// The next order when cycling.
    public var next: SortOrder {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// A short label for the header: "sort: email".
    public var label: String {
        switch self {
        case .email: "email"
        case .name: "name"
        case .lastLogin: "last login"
        case .roles: "roles"
        }
    }
}
