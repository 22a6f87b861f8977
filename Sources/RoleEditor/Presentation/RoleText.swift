import AtlasAPI

/// Role names for columns of every width, as the Atlas console words them:
/// `ORG_GROUP_CREATOR` → `Organization Project Creator` → `Project Creator` → `PC`.
public enum RoleText {
    /// The console's name, as a checklist shows it (``RoleSpelling/consoleName(_:)``), sanitized.
    public static func name(_ role: OrgRole) -> String { SafeText.sanitized(RoleSpelling.consoleName(role)) }

    /// The console's name without "Organization", which every role's name begins with: `Billing Viewer`.
    public static func shortName(_ role: OrgRole) -> String { SafeText.sanitized(RoleSpelling.shortConsoleName(role)) }

    /// Two-or-three letter abbreviations of the console's names, for the narrow roles column.
    public static func abbreviation(_ role: OrgRole) -> String {
        switch role {
        case .owner: "OWN"
        case .member: "MEM"
        case .groupCreator: "PC"
        case .billingAdmin: "BA"
        case .billingReadOnly: "BV"
        case .streamProcessingAdmin: "SPA"
        case .readOnly: "RO"
        default: SafeText.sanitized(role.rawValue.replacingPrefix("ORG_"))
        }
    }

    /// The roles in checklist order, as display names when they fit in `width`, else abbreviations,
    /// else as many abbreviations as fit and `+N`.
    public static func summary(_ roles: Set<OrgRole>, width: Int) -> String {
        let ordered = roles.sorted()
        if ordered.isEmpty { return "(none)" }
        let full = ordered.map(shortName).joined(separator: ", ")
        if full.count <= width { return full }
        let short = ordered.map(abbreviation).joined(separator: " ")
        if short.count <= width { return short }
        var text = ""
        for (index, role) in ordered.enumerated() {
            let rest = ordered.count - index - 1
            let piece = (text.isEmpty ? "" : " ") + abbreviation(role)
            let tail = rest > 0 ? " +\(rest)" : ""
            if text.count + piece.count + tail.count > width {
                return text.isEmpty ? "+\(ordered.count)" : text + " +\(ordered.count - index)"
            }
            text += piece
        }
        return text
    }

    /// A diff, additions first: `["+ORG_OWNER", "-ORG_MEMBER"]` as `set` prints it, `["+Owner",
    /// "-Member"]` as the screen shows it.
    public static func diffLines(_ edit: PendingEdit, naming: RoleNaming = .api) -> [String] {
        if let line = membershipLine(edit, naming: naming) { return [line] }
        return edit.added.map { "+" + naming.name($0) } + edit.removed.map { "-" + naming.name($0) }
    }

    /// Roles in checklist order, joined by commas: "ORG_MEMBER, ORG_READ_ONLY" or "Member, Read Only";
    /// "(none)" for no role.
    public static func list(_ roles: Set<OrgRole>, naming: RoleNaming) -> String {
        roles.isEmpty ? "(none)" : roles.sorted().map(naming.name).joined(separator: ", ")
    }
}

/// Which names a text gives roles: the API's, which a script or the API reference reads
/// (`ORG_BILLING_READ_ONLY`), or the console's, which a person reads on screen (`Billing Viewer`, as
/// the list's roles column and the checklist say it).
public enum RoleNaming: Hashable, Sendable {
    case api
    case console

    /// The role's name, sanitized (a role the program does not know comes from the server).
    public func name(_ role: OrgRole) -> String {
        switch self {
        case .api: SafeText.sanitized(role.rawValue)
        case .console: RoleText.shortName(role)
        }
    }
}

extension RoleText {
    /// `REMOVE ana@example.com (ORG_OWNER, ORG_MEMBER)`, `CANCEL INVITATION …` for a PENDING user, or
    /// `INVITE bo@example.com (ORG_MEMBER, ORG_READ_ONLY) + 1 team`, with the console's names
    /// (`Owner, Member`) for `.console`, as ``diffLines(_:naming:)`` names roles; nil for a role edit.
    public static func membershipLine(_ edit: PendingEdit, naming: RoleNaming = .api) -> String? {
        let name = SafeText.sanitized(edit.username)
        switch edit.membership {
        case .removal:
            let verb = edit.status == .pending ? "CANCEL INVITATION" : "REMOVE"
            return "\(verb) \(name) (\(edit.base.sorted().map(naming.name).joined(separator: ", ")))"
        case .invitation(let teams):
            let teamText = teams.isEmpty ? "" : " + \(teams.count) team\(teams.count == 1 ? "" : "s")"
            return "INVITE \(name) (\(edit.target.sorted().map(naming.name).joined(separator: ", ")))" + teamText
        case nil:
            return nil
        }
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
