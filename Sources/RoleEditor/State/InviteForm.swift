import AtlasAPI

/// The invite form (`i`): addresses pasted one per line, the organization roles to give, the teams to
/// join. Its invitations are staged as pending edits, shown as PENDING rows and reviewed with the rest.
public struct InviteForm: Hashable, Sendable {
    public enum Field: Hashable, Sendable, CaseIterable {
        case addresses, roles, teams
    }

    /// The addresses as typed or pasted, one per line.
    public var text: String
    public var roles: Set<OrgRole>
    public var teamIds: [String]
    public var field: Field = .addresses
    /// The cursor in the roles (``OrgRole/known``) and in the teams.
    public var roleCursor = 0
    public var teamCursor = 0
    /// Why the last submit was refused, address by address.
    public var problems: [InvitationCheck.Problem] = []
    /// A refusal of the form as a whole (no address, no role).
    public var refusal: String?

    public init(text: String = "", roles: Set<OrgRole> = [.member], teamIds: [String] = []) {
        self.text = text
        self.roles = roles
        self.teamIds = teamIds
    }

    /// The addresses, one per non-blank line, spaces around them dropped, each once.
    public var addresses: [String] {
        var seen: Set<String> = []
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }
}

/// What the invite form's keys do.
public enum InviteFormAction: Hashable, Sendable {
    /// A new line in the addresses (Enter there); Enter elsewhere submits.
    case enter
    /// The next field (Tab).
    case nextField
    case move(Int)
    /// Space in the roles or teams: toggle the one under the cursor.
    case toggle
    /// Stage the invitations, or show why not.
    case submit
    case cancel
}
